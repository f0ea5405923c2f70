/** The hub's REST payloads the console reads (the hub's schemas in packages/hub/src/api; types.contract.ts checks them against these). */

export type DeploymentStatus = 'QUEUED' | 'REJECTED' | 'RUNNING' | 'PAUSED' | 'AWAITING_APPROVAL' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | (string & {});
export type StepStatus = 'PENDING' | 'RUNNING' | 'WAITING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';

export interface ApprovalPayload {
  stepId: string;
  kind: 'pause' | 'rollForward' | 'rollBack';
  message: string;
  requiresRoles: string[];
  requestedAtIso: string;
  expiresAtIso: string | null;
}

export interface StepPayload {
  id: string;
  environment: string;
  stage: string;
  phase: 'before' | 'strategy' | 'after';
  kind: string;
  title: string;
  status: StepStatus;
  attempt: number;
  startedAtIso: string | null;
  completedAtIso: string | null;
  wakeAtIso: string | null;
  reason: string | null;
}

export interface EnvironmentPayload {
  name: string;
  account: string;
  namespace: string;
  dependsOn: string[];
  strategy: string | null;
  status: string;
  reason: string | null;
  startedAtIso: string | null;
  completedAtIso: string | null;
  weight: number | null;
  approval: ApprovalPayload | null;
  steps: StepPayload[];
}

export interface DeploymentPayload {
  id: string;
  application: string;
  status: DeploymentStatus;
  reason: string | null;
  createdAtIso: string;
  startedAtIso: string | null;
  completedAtIso: string | null;
  startedBy: string | null;
  redeployOf: string | null;
  link: string;
  environments: EnvironmentPayload[];
  steps: StepPayload[];
}

export interface DeploymentSummary {
  id: string;
  application: string;
  status: DeploymentStatus;
  createdAtIso: string;
  startedAtIso: string | null;
  completedAtIso: string | null;
  link: string;
  environments: Array<{ name: string; status: string }>;
}

export interface EventPayload {
  seq: number;
  deploymentId: string;
  type: string;
  at: number;
  atIso: string;
  target: string | null;
  stepId: string | null;
  data: Record<string, unknown>;
}

export interface Me {
  subject: string;
  kind: 'user' | 'machine';
  name: string;
  tenant: string;
  roles: string[];
  expiresAtIso: string;
  /** The union of the person's roles' grants, resolved by the hub. */
  grants: Grant[];
}

export const GRANT_RESOURCES = ['organization', 'tenant', 'deployment', 'agentHub', 'secret', 'credential', 'integration', 'role', 'user', 'target'] as const;
export type GrantResource = (typeof GRANT_RESOURCES)[number];

export interface Grant {
  type: 'api';
  resource: GrantResource;
  permission: 'full' | 'read';
}

export interface Role {
  name: string;
  tenant: string;
  grants: Grant[];
}

export interface Credential {
  clientId: string;
  name: string;
  roles: string[];
  /** Its access tokens' lifetime in seconds; null: the hub's default. */
  tokenTtlSeconds: number | null;
  createdAtIso: string;
}

export interface SecretEntry {
  name: string;
  createdAtIso: string;
  updatedAtIso: string;
}

export interface Integration {
  type: string;
  name: string;
  settings: Record<string, unknown>;
  createdAtIso: string;
}

export interface User {
  id: string;
  email: string;
  roles: string[];
  invited: boolean;
  createdAtIso: string;
}

export interface Tenant {
  name: string;
  createdAtIso: string;
}

export interface Agent {
  identifier: string;
  instanceId: string;
  version: string;
  hubReplica: string;
  address: string;
  connectedAtIso: string;
  lastHeartbeatAtIso: string;
  clusterRole: boolean;
}

export interface Target {
  name: string;
  kind: 'kubeconfig' | 'agent';
  ref: string;
  createdAtIso: string;
}

/** The deploy file, context and manifests of a deployment (when the hub answers them). */
/** `GET /api/v1/deployments/:id/config`: Secret values are never answered. */
export interface DeploymentConfig {
  /** The normalized deploy file. */
  deployFile: Record<string, unknown>;
  context: Record<string, string>;
  manifests: DeploymentManifest[];
}

export interface DeploymentManifest {
  /** A path relative to the deploy file, or `manifests[i].inline`. */
  source: string;
  targets?: string[];
  objects: Array<Record<string, unknown>>;
}

/** The hub's error body. */
export interface ApiErrorBody {
  error_id?: string;
  errors?: Array<{ message: string; code?: string; metadata?: unknown }>;
}
