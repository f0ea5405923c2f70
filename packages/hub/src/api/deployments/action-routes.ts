import { FerryConflictError, FerryForbiddenError, FerryNotFoundError, isTerminalDeploymentStatus, type DeploymentRecordV1 } from '@ferry/core';
import { z } from 'zod';
import type { ApiContext, Principal } from '../../contracts.js';
import { principalOf } from '../access.js';
import type { ApiInstance, RouteDeps } from '../api-types.js';
import { actionBody, commentBody, deploymentIdParams, rollbackBody, startedResponse } from './deployment-schemas.js';
import { deploymentLink, pendingApproval } from './deployment-payload.js';
import { ownedDeployment } from './owned-deployment.js';

const TAG = ['deployment actions'];
const write = { access: { resource: 'deployment', access: 'write' } } as const;
const accepted = { 202: z.object({ id: z.string(), action: z.string() }) };

type TargetAction = 'approve' | 'reject' | 'skip' | 'rollforward';

/** What people do to a running deployment: approvals, skips, rollbacks, cancel, redeploy. */
export function registerActionRoutes(api: ApiInstance, { ctx }: RouteDeps): void {
  const targetActions: Array<[TargetAction, string]> = [
    ['approve', 'Approve the pending approval of a target'],
    ['reject', 'Reject the pending approval of a target (it rolls back)'],
    ['skip', 'End a timed pause of a target now'],
    ['rollforward', 'Answer a manual-mode analysis with "roll forward"'],
  ];
  for (const [action, summary] of targetActions) {
    api.post(`/api/v1/deployments/:id/${action}`, {
      config: write,
      schema: { tags: TAG, summary, params: deploymentIdParams, body: actionBody, response: accepted },
    }, async (request, reply) => {
      const principal = principalOf(request);
      const record = await ownedDeployment(ctx, principal, request.params.id);
      const input = { target: request.body.target, by: principal.name, roles: principal.roles, ...comment(request.body.comment) };
      if (action !== 'skip') checkApprovalRoles(ctx, principal, record, request.body.target);
      if (action === 'approve') await ctx.engine.approve(record.id, input);
      else if (action === 'reject') await ctx.engine.reject(record.id, input);
      else if (action === 'rollforward') await ctx.engine.rollForward(record.id, input);
      else await ctx.engine.skip(record.id, { target: input.target, by: input.by, ...comment(request.body.comment) });
      return reply.code(202).send({ id: record.id, action });
    });
  }

  api.post('/api/v1/deployments/:id/rollback', {
    config: write,
    schema: { tags: TAG, summary: 'Roll back one target, or every active one', params: deploymentIdParams, body: rollbackBody, response: accepted },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const record = await ownedDeployment(ctx, principal, request.params.id);
    const { target } = request.body;
    if (target !== undefined) checkTargetExists(record, target);
    await ctx.engine.rollback(record.id, { by: principal.name, roles: principal.roles, ...(target !== undefined ? { target } : {}), ...comment(request.body.comment) });
    return reply.code(202).send({ id: record.id, action: 'rollback' });
  });

  api.post('/api/v1/deployments/:id/cancel', {
    config: write,
    schema: { tags: TAG, summary: 'Cancel a deployment (active targets roll back)', params: deploymentIdParams, body: commentBody, response: accepted },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const record = await ownedDeployment(ctx, principal, request.params.id);
    await ctx.engine.cancel(record.id, { by: principal.name, ...comment(request.body?.comment) });
    return reply.code(202).send({ id: record.id, action: 'cancel' });
  });

  api.post('/api/v1/deployments/:id/redeploy', {
    config: write,
    schema: { tags: TAG, summary: "Start a new deployment from this one's file and context", params: deploymentIdParams, body: commentBody, response: { 202: startedResponse } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const record = await ownedDeployment(ctx, principal, request.params.id);
    const started = await ctx.engine.redeploy(record.id, { by: principal.name, ...comment(request.body?.comment) });
    return reply.code(202).send({ id: started.id, link: deploymentLink(ctx.baseUrl, started.id) });
  });
}

/** 403 naming the roles when the approval waiting on the target requires roles the caller lacks. */
function checkApprovalRoles(ctx: Pick<ApiContext, 'hasRoles'>, principal: Principal, record: DeploymentRecordV1, target: string): void {
  checkTargetExists(record, target);
  if (isTerminalDeploymentStatus(record.state.status)) {
    throw new FerryConflictError(`deployment ${record.id} has ended (${record.state.status})`, { code: 'deployment_ended' });
  }
  const approval = pendingApproval(record.state.targets[target]);
  if (approval && approval.requiresRoles.length > 0 && !ctx.hasRoles(principal, approval.requiresRoles)) {
    throw new FerryForbiddenError(`this approval requires the role${approval.requiresRoles.length > 1 ? 's' : ''} ${approval.requiresRoles.join(', ')}`, {
      code: 'missing_roles',
      details: { requiresRoles: approval.requiresRoles },
    });
  }
}

function checkTargetExists(record: DeploymentRecordV1, target: string): void {
  if (!record.state.targets[target]) throw new FerryNotFoundError(`deployment ${record.id} has no target ${target}`, { code: 'target_not_found' });
}

function comment(text: string | undefined): { comment?: string } {
  return text !== undefined ? { comment: text } : {};
}
