import { FerryUnauthenticatedError, FerryUnavailableError } from '@ferry/core';
import { errorFromAnswer, send, type HttpTarget } from '../hub-client/http.js';

/** The public client `ferry login` uses (device authorization grant). */
export const CLI_CLIENT_ID = 'ferry-cli';

export interface OidcEndpoints {
  issuer: string;
  tokenEndpoint: string;
  deviceAuthorizationEndpoint?: string;
}

export interface TokenAnswer {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
  token_type?: string;
}

/** `<hub>/oidc/.well-known/openid-configuration`. */
export async function discover(target: HttpTarget): Promise<OidcEndpoints> {
  const answer = await send(target, 'oidc/.well-known/openid-configuration');
  if (answer.status !== 200) throw new FerryUnavailableError(`the hub at ${target.baseUrl} has no OIDC discovery document (HTTP ${answer.status})`, { code: 'oidc_discovery_failed' });
  const body = JSON.parse(answer.text) as { issuer: string; token_endpoint: string; device_authorization_endpoint?: string };
  return {
    issuer: body.issuer,
    tokenEndpoint: body.token_endpoint,
    ...(body.device_authorization_endpoint ? { deviceAuthorizationEndpoint: body.device_authorization_endpoint } : {}),
  };
}

/** POSTs a form to an OIDC endpoint (absolute URL on the hub). */
export async function postForm(target: HttpTarget, endpoint: string, form: Record<string, string>, basic?: { id: string; secret: string }) {
  return send(target, endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(basic ? { authorization: `Basic ${Buffer.from(`${encodeURIComponent(basic.id)}:${encodeURIComponent(basic.secret)}`).toString('base64')}` } : {}),
    },
    body: new URLSearchParams(form).toString(),
  });
}

/** The client-credentials grant for machine credentials (CI jobs). */
export async function clientCredentialsGrant(target: HttpTarget, clientId: string, clientSecret: string): Promise<TokenAnswer> {
  const { tokenEndpoint } = await discover(target);
  const answer = await postForm(target, tokenEndpoint, { grant_type: 'client_credentials' }, { id: clientId, secret: clientSecret });
  if (answer.status !== 200) {
    const error = errorFromAnswer(answer, 'the client-credentials grant failed');
    throw new FerryUnauthenticatedError(`the hub refused client ${clientId}: ${error.message.replace(/ \(run ferry login.*$/, '')}`, { code: 'invalid_client' });
  }
  return JSON.parse(answer.text) as TokenAnswer;
}

/** Trades a refresh token for new tokens; undefined when the hub refuses it (log in again). */
export async function refreshGrant(target: HttpTarget, tokenEndpoint: string, clientId: string, refreshToken: string): Promise<TokenAnswer | undefined> {
  const answer = await postForm(target, tokenEndpoint, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId });
  if (answer.status !== 200) return undefined;
  return JSON.parse(answer.text) as TokenAnswer;
}
