import type { ApprovalPayload, DeploymentPayload, EnvironmentPayload, Grant, GrantResource, Me } from '../api/types.js';

/**
 * What the signed-in person may do, as the hub decides it: the grants `GET /api/v1/me`
 * resolves from the person's roles. `organization` and `tenant` grants cover every area,
 * `full` allows writes, `read` only reads. The hub still decides every request; this only
 * says which buttons to disable and why.
 */
export interface Permissions {
  roles: string[];
  grants: Grant[];
}

export function permissionsFrom(me: Pick<Me, 'roles' | 'grants'>): Permissions {
  return { roles: [...me.roles], grants: [...me.grants] };
}

export function allows(permissions: Permissions, resource: GrantResource, access: 'read' | 'write'): boolean {
  return permissions.grants.some((grant) => {
    if (access === 'write' && grant.permission !== 'full') return false;
    // Same rule as the hub: organization covers everything, tenant everything but the organization.
    if (grant.resource === 'organization') return true;
    if (grant.resource === 'tenant') return resource !== 'organization';
    return grant.resource === resource;
  });
}

/** Why a write is refused, or undefined when it is allowed. */
export function writeRefusal(permissions: Permissions, resource: GrantResource): string | undefined {
  return allows(permissions, resource, 'write') ? undefined : `Needs the ${resource} grant with full permission`;
}

export type DeploymentAction = 'approve' | 'approveAndContinue' | 'reject' | 'skip' | 'rollback' | 'rollforward' | 'cancel' | 'redeploy';

export interface ActionState {
  action: DeploymentAction;
  label: string;
  /** Undefined when the button is enabled; otherwise what the disabled button says. */
  disabledReason?: string;
  /** The target it acts on (target actions). */
  target?: string;
}

// Deployment and target statuses after which nothing more happens.
const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'REJECTED', 'ROLLED_BACK', 'SKIPPED']);

export function isTerminal(status: string): boolean {
  return TERMINAL.has(status);
}

function missingRoles(permissions: Permissions, approval: ApprovalPayload): string[] {
  const mine = new Set(permissions.roles);
  return approval.requiresRoles.filter((role) => !mine.has(role));
}

/**
 * The buttons of one target, each enabled or disabled with the reason. Approve answers a
 * pause or manual judgment; "Approve & Continue" answers a manual analysis with roll-forward.
 */
export function targetActions(deployment: DeploymentPayload, environment: EnvironmentPayload, permissions: Permissions): ActionState[] {
  const noWrite = writeRefusal(permissions, 'deployment');
  const ended = isTerminal(deployment.status) ? `The deployment has ended (${deployment.status})` : undefined;
  const targetDone = isTerminal(environment.status) ? `${environment.name} has ended (${environment.status})` : undefined;
  const approval = environment.approval;
  const rolesReason = approval && missingRoles(permissions, approval).length > 0 ? `Requires the role${approval.requiresRoles.length > 1 ? 's' : ''} ${missingRoles(permissions, approval).join(', ')}` : undefined;
  const waitingPause = environment.steps.find((s) => s.status === 'WAITING' && s.kind === 'pause' && !approval);
  const first = (...reasons: Array<string | undefined>) => reasons.find((r) => r !== undefined);
  const target = environment.name;

  // Approve answers a judgment (a pause until approved, or a manual rollback question);
  // Approve & Continue is the same answer to a pause inside the strategy (the rollout goes on).
  const approvalPhase = approval ? environment.steps.find((s) => s.id === approval.stepId)?.phase : undefined;
  const approvable = approval && approval.kind !== 'rollForward';
  const continuable = approval && approval.kind === 'pause' && approvalPhase === 'strategy';
  const rollForwardable = approval && approval.kind === 'rollForward';
  return [
    { action: 'approve', label: 'Approve', target, ...reason(first(noWrite, ended, targetDone, approvable ? rolesReason : 'Nothing is waiting for an approval')) },
    { action: 'approveAndContinue', label: 'Approve & Continue', target, ...reason(first(noWrite, ended, targetDone, continuable ? rolesReason : 'No paused rollout is waiting for an approval')) },
    { action: 'skip', label: 'Skip', target, ...reason(first(noWrite, ended, targetDone, waitingPause ? undefined : 'No timed pause is running')) },
    { action: 'rollback', label: 'Roll back', target, ...reason(first(noWrite, ended, targetDone)) },
    { action: 'rollforward', label: 'Roll forward', target, ...reason(first(noWrite, ended, targetDone, rollForwardable ? rolesReason : 'No manual analysis is waiting for a decision')) },
  ];
}

/** The deployment-wide buttons. */
export function deploymentActions(deployment: DeploymentPayload, permissions: Permissions): ActionState[] {
  const noWrite = writeRefusal(permissions, 'deployment');
  return [
    { action: 'cancel', label: 'Cancel', ...reason(noWrite ?? (isTerminal(deployment.status) ? `The deployment has ended (${deployment.status})` : undefined)) },
    { action: 'redeploy', label: 'Redeploy', ...reason(noWrite) },
  ];
}

function reason(text: string | undefined): { disabledReason?: string } {
  return text === undefined ? {} : { disabledReason: text };
}
