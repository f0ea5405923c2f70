import { FerryForbiddenError } from '@ferry/core';
import type { Principal } from '../contracts.js';

/**
 * An agent's credential must hold the `agentHub` grant with write access (or `tenant` /
 * `organization`, which grant everything below them). Used until the hub's shared
 * `requireGrant` (auth/) can be injected through the options.
 */
export function requireAgentHubGrant(principal: Principal): void {
  const allowed = principal.grants.some(
    (grant) => ['agentHub', 'tenant', 'organization'].includes(grant.resource) && grant.permission === 'full',
  );
  if (!allowed) {
    throw new FerryForbiddenError(`credential "${principal.name}" lacks the agentHub grant (full) needed to connect an agent`, {
      code: 'missing_grant',
      details: { resource: 'agentHub' },
    });
  }
}
