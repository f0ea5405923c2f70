import { describe, expect, it } from 'vitest';
import type { DeploymentPayload, EnvironmentPayload, Grant, StepPayload } from '../api/types.js';
import { allows, deploymentActions, permissionsFrom, targetActions } from './permissions.js';

const full = (resource: Grant['resource']): Grant => ({ type: 'api', resource, permission: 'full' });
const read = (resource: Grant['resource']): Grant => ({ type: 'api', resource, permission: 'read' });

function step(over: Partial<StepPayload>): StepPayload {
  return { id: 's1', environment: 'prod', stage: 'canary', phase: 'strategy', kind: 'pause', title: 'Pause', status: 'PENDING', attempt: 0, startedAtIso: null, completedAtIso: null, wakeAtIso: null, reason: null, ...over };
}

function env(over: Partial<EnvironmentPayload>): EnvironmentPayload {
  return { name: 'prod', account: 'prod-cluster', namespace: 'web', dependsOn: [], strategy: 'canary', status: 'RUNNING', reason: null, startedAtIso: null, completedAtIso: null, weight: 25, approval: null, steps: [], ...over };
}

function deployment(status: string, environments: EnvironmentPayload[]): DeploymentPayload {
  return { id: 'd1', application: 'web', status, reason: null, createdAtIso: '2026-01-01T00:00:00Z', startedAtIso: null, completedAtIso: null, startedBy: null, redeployOf: null, link: '', environments, steps: environments.flatMap((e) => e.steps) };
}

const byAction = (states: ReturnType<typeof targetActions>) => Object.fromEntries(states.map((s) => [s.action, s.disabledReason]));

describe('grants', () => {
  it('follows the hub: organization covers all, tenant all but organization, read never writes', () => {
    const org = permissionsFrom({ roles: [], grants: [full('organization')] });
    const tenant = permissionsFrom({ roles: [], grants: [full('tenant')] });
    const reader = permissionsFrom({ roles: [], grants: [read('deployment')] });
    expect(allows(org, 'organization', 'write')).toBe(true);
    expect(allows(tenant, 'secret', 'write')).toBe(true);
    expect(allows(tenant, 'organization', 'read')).toBe(false);
    expect(allows(reader, 'deployment', 'read')).toBe(true);
    expect(allows(reader, 'deployment', 'write')).toBe(false);
    expect(allows(reader, 'secret', 'read')).toBe(false);
  });

  it('takes the roles and grants the hub resolved for the person', () => {
    const permissions = permissionsFrom({ roles: ['Deployer'], grants: [full('deployment'), read('secret')] });
    expect(permissions.roles).toEqual(['Deployer']);
    expect(allows(permissions, 'deployment', 'write')).toBe(true);
    expect(allows(permissions, 'secret', 'read')).toBe(true);
    expect(allows(permissions, 'secret', 'write')).toBe(false);
    expect(allows(permissions, 'organization', 'read')).toBe(false);
  });

  it('allows nothing without grants', () => {
    const permissions = permissionsFrom({ roles: ['x'], grants: [] });
    expect(allows(permissions, 'deployment', 'read')).toBe(false);
    expect(allows(permissions, 'organization', 'write')).toBe(false);
  });
});

describe('action buttons', () => {
  const writer = permissionsFrom({ roles: ['Deployer'], grants: [full('deployment')] });
  const reader = permissionsFrom({ roles: [], grants: [read('deployment')] });
  const approval = { stepId: 's1', kind: 'pause' as const, message: 'ok?', requiresRoles: ['Approver'], requestedAtIso: '2026-01-01T00:00:00Z', expiresAtIso: null };

  it('enables Approve & Continue for a paused rollout when the person holds the required role', () => {
    const approver = permissionsFrom({ roles: ['Approver'], grants: [full('deployment')] });
    const e = env({ approval, steps: [step({ status: 'WAITING' })] });
    const states = byAction(targetActions(deployment('PAUSED', [e]), e, approver));
    expect(states.approve).toBeUndefined();
    expect(states.approveAndContinue).toBeUndefined();
    expect(states.rollback).toBeUndefined();
    expect(states.rollforward).toBe('No manual analysis is waiting for a decision');
  });

  it('says which roles are missing, and that a read grant cannot act', () => {
    const e = env({ approval, steps: [step({ status: 'WAITING' })] });
    expect(byAction(targetActions(deployment('PAUSED', [e]), e, writer)).approve).toBe('Requires the role Approver');
    expect(byAction(targetActions(deployment('PAUSED', [e]), e, reader)).approve).toBe('Needs the deployment grant with full permission');
  });

  it('offers Roll forward only for a manual analysis, and Skip only for a timed pause', () => {
    const rollForward = { ...approval, kind: 'rollForward' as const, requiresRoles: [] };
    const e = env({ approval: rollForward, steps: [step({ kind: 'analysis', status: 'WAITING' })] });
    const states = byAction(targetActions(deployment('PAUSED', [e]), e, writer));
    expect(states.rollforward).toBeUndefined();
    expect(states.approve).toBe('Nothing is waiting for an approval');
    expect(states.skip).toBe('No timed pause is running');
    const timed = env({ steps: [step({ status: 'WAITING', wakeAtIso: '2026-01-01T00:05:00Z' })] });
    expect(byAction(targetActions(deployment('RUNNING', [timed]), timed, writer)).skip).toBeUndefined();
  });

  it('disables everything but Redeploy once the deployment ended', () => {
    const e = env({ status: 'SUCCEEDED' });
    const d = deployment('SUCCEEDED', [e]);
    expect(byAction(targetActions(d, e, writer)).rollback).toBe('The deployment has ended (SUCCEEDED)');
    const whole = Object.fromEntries(deploymentActions(d, writer).map((s) => [s.action, s.disabledReason]));
    expect(whole.cancel).toBe('The deployment has ended (SUCCEEDED)');
    expect(whole.redeploy).toBeUndefined();
  });
});
