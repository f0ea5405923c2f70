import { DEPLOYMENT_STATUSES, TARGET_STATUSES } from '@ferry/core';
import { z } from 'zod';

/** The schemas of the deployment routes: request validation and the OpenAPI document alike. */

const isoOrNull = z.string().nullable().describe('ISO-8601 time, or null when it has not happened');
const STEP_STATUSES = ['PENDING', 'RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED'] as const;

export const approvalSchema = z.object({
  stepId: z.string(),
  kind: z.enum(['pause', 'rollForward', 'rollBack']),
  message: z.string(),
  requiresRoles: z.array(z.string()),
  requestedAtIso: z.string(),
  expiresAtIso: isoOrNull,
});

export const stepSchema = z.object({
  id: z.string(),
  environment: z.string().describe('The target (environment) the step belongs to'),
  stage: z.string(),
  phase: z.enum(['before', 'strategy', 'after']),
  kind: z.string(),
  title: z.string(),
  status: z.enum(STEP_STATUSES),
  attempt: z.number().int(),
  startedAtIso: isoOrNull,
  completedAtIso: isoOrNull,
  wakeAtIso: isoOrNull,
  reason: z.string().nullable(),
});

export const environmentSchema = z.object({
  name: z.string(),
  account: z.string(),
  namespace: z.string(),
  dependsOn: z.array(z.string()),
  strategy: z.string().nullable(),
  status: z.enum(TARGET_STATUSES),
  reason: z.string().nullable(),
  startedAtIso: isoOrNull,
  completedAtIso: isoOrNull,
  weight: z.number().nullable().describe("The canary's current traffic weight, when it has one"),
  approval: approvalSchema.nullable().describe('The approval waiting for a person, if any'),
  steps: z.array(stepSchema),
});

export const deploymentStatusSchema = z.object({
  id: z.string(),
  application: z.string(),
  status: z.enum(DEPLOYMENT_STATUSES),
  reason: z.string().nullable(),
  createdAtIso: z.string(),
  startedAtIso: isoOrNull,
  completedAtIso: isoOrNull,
  startedBy: z.string().nullable(),
  redeployOf: z.string().nullable(),
  link: z.string(),
  environments: z.array(environmentSchema),
  steps: z.array(stepSchema).describe('Every step of every environment, in plan order'),
});
export type DeploymentStatusPayload = z.infer<typeof deploymentStatusSchema>;

export const deploymentSummarySchema = z.object({
  id: z.string(),
  application: z.string(),
  status: z.enum(DEPLOYMENT_STATUSES),
  createdAtIso: z.string(),
  startedAtIso: isoOrNull,
  completedAtIso: isoOrNull,
  link: z.string(),
  environments: z.array(z.object({ name: z.string(), status: z.enum(TARGET_STATUSES) })),
});
export type DeploymentSummaryPayload = z.infer<typeof deploymentSummarySchema>;

export const startDeploymentBody = z.object({
  deployFile: z.string().min(1).describe('The deployment file (YAML text)'),
  manifests: z.record(z.string(), z.string()).optional().describe('Manifests the file names by relative path: path → content'),
  context: z.record(z.string(), z.string()).optional().describe('Values for {{context.NAME}}, merged over the file\'s context'),
});

export const validateBody = startDeploymentBody.omit({ context: true });

export const diagnosticSchema = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  path: z.string(),
  file: z.string().nullable(),
  line: z.number().int().nullable(),
  column: z.number().int().nullable(),
  message: z.string(),
});

export const validateResponse = z.object({
  valid: z.boolean(),
  diagnostics: z.array(diagnosticSchema),
  plan: z
    .object({
      application: z.string(),
      targets: z.array(z.object({ name: z.string(), account: z.string(), namespace: z.string(), dependsOn: z.array(z.string()), strategy: z.string().nullable() })),
    })
    .optional(),
});

export const deploymentIdParams = z.object({ id: z.string().min(1).max(200) });

export const listDeploymentsQuery = z.object({
  application: z.string().min(1).optional(),
  status: z.string().min(1).optional().describe('One status or several separated by commas, e.g. RUNNING,PAUSED'),
  target: z.string().min(1).optional().describe('Only deployments with this target (environment)'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const eventsQuery = z.object({
  afterSeq: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const eventSchema = z.object({
  seq: z.number().int(),
  deploymentId: z.string(),
  type: z.string(),
  at: z.number(),
  atIso: z.string(),
  target: z.string().nullable(),
  stepId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type DeploymentEventPayload = z.infer<typeof eventSchema>;

export const eventsPage = z.object({ events: z.array(eventSchema), nextAfterSeq: z.number().int() });

export const actionBody = z.object({
  target: z.string().min(1).describe('The target (environment) to act on'),
  comment: z.string().max(2000).optional(),
});

export const rollbackBody = z.object({
  target: z.string().min(1).optional().describe('One target; every active target when absent'),
  comment: z.string().max(2000).optional(),
});

export const commentBody = z.object({ comment: z.string().max(2000).optional() }).optional();

export const startedResponse = z.object({ id: z.string(), link: z.string() });
