import type { HttpAnswer } from '../../http/index.js';
import { snippet } from '../answer-error.js';

export const NRQL_QUERY = `query FerryNrql($accountId: Int!, $nrql: Nrql!, $timeout: Seconds) {
  actor { account(id: $accountId) { nrql(query: $nrql, timeout: $timeout) { results } } }
}`;

export const ACCOUNT_QUERY = `query FerryAccount($accountId: Int!) {
  actor { account(id: $accountId) { id name } }
}`;

export interface GraphqlError {
  message?: unknown;
  extensions?: { errorClass?: unknown; code?: unknown };
}

/** Error classes NerdGraph uses for failures that may pass on a retry. */
const TRANSIENT_CLASSES = new Set(['TIMEOUT', 'SERVER_ERROR', 'INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE']);
const AUTH_CLASSES = new Set(['UNAUTHORIZED', 'FORBIDDEN', 'UNAUTHENTICATED']);

export function graphqlErrors(answer: HttpAnswer): GraphqlError[] {
  const errors = (answer.json as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) ? (errors as GraphqlError[]) : [];
}

function errorClass(error: GraphqlError): string {
  const value = error.extensions?.errorClass ?? error.extensions?.code;
  return typeof value === 'string' ? value.toUpperCase() : '';
}

export function graphqlMessages(errors: GraphqlError[]): string {
  return errors.map((e) => (typeof e.message === 'string' ? e.message : JSON.stringify(e))).join('; ');
}

/** New Relic's message in an answer: its GraphQL errors, else the start of the body. */
export function newRelicMessage(answer: HttpAnswer): string {
  const errors = graphqlErrors(answer);
  return errors.length > 0 ? graphqlMessages(errors) : snippet(answer.text);
}

/** A GraphQL error answer worth retrying (every error is a timeout or server error). */
export function transientGraphqlProblem(answer: HttpAnswer): string | undefined {
  const errors = graphqlErrors(answer);
  if (errors.length === 0 || !errors.every((e) => TRANSIENT_CLASSES.has(errorClass(e)))) return undefined;
  return `GraphQL error (${errorClass(errors[0] as GraphqlError)}): ${graphqlMessages(errors)}`;
}

export function isAuthError(errors: GraphqlError[]): boolean {
  return errors.some((e) => AUTH_CLASSES.has(errorClass(e)));
}
