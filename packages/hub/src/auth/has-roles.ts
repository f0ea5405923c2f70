import type { Principal } from '../contracts.js';

/** Whether the principal holds every role an approval's `requiresRoles` names (none: anyone may). */
export function hasRoles(principal: Principal, requiresRoles: string[]): boolean {
  const held = new Set(principal.roles);
  return requiresRoles.every((role) => held.has(role));
}
