import type { AgentSession } from './session.js';

/** Key of one agent identifier in one tenant (identifiers are only unique per tenant). */
export function agentKey(tenant: string, identifier: string): string {
  return `${tenant}\u0000${identifier}`;
}

/**
 * The agent streams held by this replica. Several replicas of one identifier (a Deployment
 * with 2 pods) share a key; requests are spread over them round-robin, skipping draining ones.
 */
export class LocalRegistry {
  readonly #byKey = new Map<string, AgentSession[]>();
  readonly #cursor = new Map<string, number>();

  add(session: AgentSession): { first: boolean } {
    const key = agentKey(session.info.tenant, session.info.identifier);
    const list = this.#byKey.get(key) ?? [];
    list.push(session);
    this.#byKey.set(key, list);
    return { first: list.length === 1 };
  }

  remove(session: AgentSession): { last: boolean } {
    const key = agentKey(session.info.tenant, session.info.identifier);
    const list = (this.#byKey.get(key) ?? []).filter((s) => s !== session);
    if (list.length === 0) {
      this.#byKey.delete(key);
      this.#cursor.delete(key);
      return { last: true };
    }
    this.#byKey.set(key, list);
    return { last: false };
  }

  /** The next usable stream for the agent, or undefined when this replica holds none. */
  pick(tenant: string, identifier: string): AgentSession | undefined {
    const key = agentKey(tenant, identifier);
    const usable = (this.#byKey.get(key) ?? []).filter((s) => !s.draining && !s.closed);
    if (usable.length === 0) return undefined;
    const next = (this.#cursor.get(key) ?? 0) % usable.length;
    this.#cursor.set(key, next + 1);
    return usable[next];
  }

  has(tenant: string, identifier: string): boolean {
    return this.pick(tenant, identifier) !== undefined;
  }

  all(): AgentSession[] {
    return [...this.#byKey.values()].flat();
  }
}
