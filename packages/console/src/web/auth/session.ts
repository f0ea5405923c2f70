import * as oauth from 'oauth4webapi';
import type { ConsoleConfig } from './console-config.js';

/**
 * Sign-in with the hub's OIDC service: authorization code + PKCE for the public client
 * `ferry-console`. The access token lives in sessionStorage (this tab only, gone when it
 * closes); nothing is kept in localStorage or cookies.
 */
const TOKEN_KEY = 'ferry.console.token';
const PENDING_KEY = 'ferry.console.pending';

export interface StoredToken {
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

interface PendingLogin {
  codeVerifier: string;
  state: string;
  /** Where to go back after signing in (a console path). */
  returnTo: string;
}

export function currentToken(now = Date.now()): StoredToken | undefined {
  const raw = sessionStorage.getItem(TOKEN_KEY);
  if (!raw) return undefined;
  try {
    const token = JSON.parse(raw) as StoredToken;
    // A token about to expire is as good as gone: sign in again.
    if (typeof token.accessToken !== 'string' || token.expiresAt - 10_000 < now) return undefined;
    return token;
  } catch {
    return undefined;
  }
}

export function signOut(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

function insecureAllowed(config: ConsoleConfig): boolean {
  // Plain HTTP is only ever a loopback hub (the hub refuses it elsewhere).
  const url = new URL(config.issuer);
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

async function discover(config: ConsoleConfig): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  const options = insecureAllowed(config) ? { [oauth.allowInsecureRequests]: true } : {};
  const response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...options });
  return oauth.processDiscoveryResponse(issuer, response);
}

/** Sends the browser to the hub's login page. */
export async function beginLogin(config: ConsoleConfig, returnTo: string): Promise<void> {
  const server = await discover(config);
  if (!server.authorization_endpoint) throw new Error('the hub announces no authorization endpoint');
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const pending: PendingLogin = { codeVerifier, state, returnTo };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(server.authorization_endpoint);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', config.redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', 'openid email');
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  window.location.assign(url.toString());
}

/** On /console/callback: trades the code for a token; answers where to go next. */
export async function completeLogin(config: ConsoleConfig, currentUrl: URL): Promise<string> {
  const raw = sessionStorage.getItem(PENDING_KEY);
  if (!raw) throw new Error('This sign-in was not started from this tab. Start again.');
  sessionStorage.removeItem(PENDING_KEY);
  const pending = JSON.parse(raw) as PendingLogin;
  const server = await discover(config);
  const client: oauth.Client = { client_id: config.clientId };
  const auth = oauth.None();
  const options = insecureAllowed(config) ? { [oauth.allowInsecureRequests]: true } : {};
  const params = oauth.validateAuthResponse(server, client, currentUrl, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(server, client, auth, params, config.redirectUri, pending.codeVerifier, options);
  const result = await oauth.processAuthorizationCodeResponse(server, client, response);
  const expiresIn = typeof result.expires_in === 'number' ? result.expires_in : 3600;
  const token: StoredToken = { accessToken: result.access_token, expiresAt: Date.now() + expiresIn * 1000 };
  sessionStorage.setItem(TOKEN_KEY, JSON.stringify(token));
  return pending.returnTo.startsWith('/console/') ? pending.returnTo : '/console/';
}
