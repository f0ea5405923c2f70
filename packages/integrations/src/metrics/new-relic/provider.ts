import { FerryInputError, FerryUnavailableError, parsePluginOptions, type Json, type MetricProviderV1 } from '@ferry/core';
import { createHttpClient, createRedactor, send, type HttpAnswer, type SendContext } from '../../http/index.js';
import { answerError } from '../answer-error.js';
import { sendPolicy } from '../common-options.js';
import { redactJson } from '../redact-json.js';
import { trimRaw } from '../trim-raw.js';
import { ACCOUNT_QUERY, graphqlErrors, graphqlMessages, isAuthError, newRelicMessage, NRQL_QUERY, transientGraphqlProblem } from './graphql.js';
import { NERDGRAPH_ENDPOINTS, newRelicOptions, type NewRelicOptions } from './options.js';
import { nrqlResult, withWindow } from './parse.js';

/** A New Relic metric provider: NRQL through NerdGraph (`POST /graphql`). */
export function newRelicMetricProvider(options: NewRelicOptions): MetricProviderV1 {
  const parsed = parsePluginOptions('newRelic', newRelicOptions, options);
  const label = `newRelic "${parsed.name}"`;
  const client = createHttpClient({ baseUrl: parsed.url ?? NERDGRAPH_ENDPOINTS[parsed.region], headers: { 'API-Key': parsed.apiKey } });
  const redact = createRedactor([parsed.apiKey]);
  const ctx: SendContext = {
    client,
    policy: sendPolicy(parsed),
    label,
    redact,
    messageOf: newRelicMessage,
    transientProblem: transientGraphqlProblem,
  };
  // NRQL's own timeout: as long as ours, within what NerdGraph accepts.
  const nrqlTimeout = Math.max(5, Math.min(120, Math.floor(parsed.timeoutMs / 1000)));

  /** Sends a GraphQL request; returns `data` or throws the matching FerryError. */
  async function graphql(query: string, variables: Record<string, Json>, signal: AbortSignal, nrql?: string): Promise<{ data: unknown; answer: HttpAnswer }> {
    const answer = await send(ctx, { method: 'POST', path: '', body: { query, variables } }, signal);
    if (answer.status >= 300) throw answerError(label, answer, redact(newRelicMessage(answer)), nrql);
    const errors = graphqlErrors(answer);
    if (errors.length > 0) {
      const auth = isAuthError(errors);
      const message = redact(graphqlMessages(errors));
      throw new FerryInputError(`${label}: ${auth ? 'rejected the credentials' : `rejected the query${nrql !== undefined ? ` ${JSON.stringify(nrql)}` : ''}`}: ${message}`, {
        code: auth ? 'metric_auth_failed' : 'metric_query_rejected',
        details: { status: answer.status, providerMessage: message, ...(nrql !== undefined ? { query: nrql } : {}) },
      });
    }
    const data = (answer.json as { data?: unknown } | undefined)?.data;
    if (data === undefined || data === null) {
      throw new FerryUnavailableError(`${label}: the answer has no data (HTTP ${answer.status})`, { code: 'metric_provider_bad_answer', details: { status: answer.status } });
    }
    return { data, answer };
  }

  return {
    specificationVersion: 'v1',
    kind: 'newRelic',
    name: parsed.name,
    async query({ query, window, signal }) {
      const nrql = withWindow(query, window);
      const { data } = await graphql(NRQL_QUERY, { accountId: parsed.accountId, nrql, timeout: nrqlTimeout }, signal, nrql);
      const results = (data as { actor?: { account?: { nrql?: { results?: unknown } } } }).actor?.account?.nrql?.results;
      if (!Array.isArray(results)) {
        throw new FerryUnavailableError(`${label}: the answer has no NRQL results`, { code: 'metric_provider_bad_answer' });
      }
      const rows = results as Array<Record<string, Json>>;
      return { ...nrqlResult(label, nrql, rows), raw: redactJson(trimRaw({ nrql, results: rows }), redact) };
    },
    async testConnection({ signal }) {
      try {
        const { data } = await graphql(ACCOUNT_QUERY, { accountId: parsed.accountId }, signal);
        const account = (data as { actor?: { account?: { id?: unknown; name?: unknown } | null } }).actor?.account;
        if (!account) return { ok: false, message: `${label}: account ${parsed.accountId} is not reachable with this key` };
        return { ok: true, message: `account ${String(account.id)}${typeof account.name === 'string' ? ` (${account.name})` : ''}` };
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        return { ok: false, message: (error as Error).message };
      }
    },
  };
}
