import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { FerryUnauthenticatedError, FerryUnavailableError } from '@ferry/core';

export interface AccessToken {
  value: string;
  /** Epoch ms. */
  expiresAt: number;
}

/**
 * Client-credentials tokens from the hub's OIDC service (or an external IdP), cached until
 * shortly before they expire. The secret goes only into the Basic header of the token call.
 */
export interface TokenSourceOptions {
  tokenUrl?: string;
  issuer?: string;
  clientId: string;
  clientSecret: string;
  audience?: string;
  /** Trusts this CA for the token endpoint (the hub's own CA). */
  caPem?: string;
}

export class TokenSource {
  readonly #options: TokenSourceOptions;
  #tokenUrl: string | undefined;
  #cached: AccessToken | undefined;

  constructor(options: TokenSourceOptions) {
    this.#options = options;
    this.#tokenUrl = options.tokenUrl;
  }

  /** A token valid for at least another 30 s (or a fresh one when `fresh`). */
  async get(fresh = false): Promise<AccessToken> {
    if (!fresh && this.#cached && this.#cached.expiresAt - Date.now() > 30_000) return this.#cached;
    const url = await this.#endpoint();
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.#options.audience) form.set('audience', this.#options.audience);
    const basic = Buffer.from(`${encodeURIComponent(this.#options.clientId)}:${encodeURIComponent(this.#options.clientSecret)}`).toString('base64');
    const response = await send(url, 'POST', { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, form.toString(), this.#options.caPem);
    if (response.status === 400 || response.status === 401) {
      throw new FerryUnauthenticatedError(`the token endpoint refused client "${this.#options.clientId}" (HTTP ${response.status})`, { code: 'client_credentials_refused' });
    }
    if (response.status !== 200) throw new FerryUnavailableError(`the token endpoint answered HTTP ${response.status}`, { code: 'token_endpoint_failed' });
    const body = JSON.parse(response.body) as { access_token?: string; expires_in?: number };
    if (!body.access_token) throw new FerryUnavailableError('the token endpoint answered without an access_token', { code: 'token_endpoint_failed' });
    this.#cached = { value: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 300) * 1000 };
    return this.#cached;
  }

  async #endpoint(): Promise<string> {
    if (this.#tokenUrl) return this.#tokenUrl;
    const issuer = this.#options.issuer!.replace(/\/$/, '');
    const response = await send(`${issuer}/.well-known/openid-configuration`, 'GET', { accept: 'application/json' }, undefined, this.#options.caPem);
    if (response.status !== 200) throw new FerryUnavailableError(`OIDC discovery at ${issuer} answered HTTP ${response.status}`, { code: 'discovery_failed' });
    const endpoint = (JSON.parse(response.body) as { token_endpoint?: string }).token_endpoint;
    if (!endpoint) throw new FerryUnavailableError(`OIDC discovery at ${issuer} names no token_endpoint`, { code: 'discovery_failed' });
    this.#tokenUrl = endpoint;
    return endpoint;
  }
}

function send(url: string, method: string, headers: Record<string, string>, body: string | undefined, caPem: string | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, { method, headers, ...(caPem ? { ca: caPem } : {}), timeout: 15_000 }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', (error) => reject(new FerryUnavailableError(`cannot reach ${target.origin}: ${error.message}`, { code: 'token_endpoint_unreachable', cause: error })));
    request.end(body);
  });
}
