import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { UserRepository } from '../contracts.js';
import { loginPage, messagePage } from './html.js';

const MAX_FORM_BYTES = 16 * 1024;

/**
 * The embedded login: oidc-provider hands the browser to `<mount>/interaction/<uid>`;
 * a login prompt renders the email + password form, a consent prompt is granted at once
 * (the hub's own clients are first-party).
 */
export class LoginInteractions {
  readonly #provider: Provider;
  readonly #users: UserRepository;
  readonly #mountPath: string;

  constructor(provider: Provider, users: UserRepository, mountPath: string) {
    this.#provider = provider;
    this.#users = users;
    this.#mountPath = mountPath;
  }

  /** `path` is below the mount: `/interaction/<uid>[/login|/abort]`. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const [, , uid, action] = path.split('?')[0]?.split('/') ?? [];
    let details: Awaited<ReturnType<Provider['interactionDetails']>>;
    try {
      details = await this.#provider.interactionDetails(req, res);
    } catch {
      return send(res, 400, messagePage('Sign-in expired', 'This sign-in request has expired or was already used. Start again from your application.'));
    }
    if (details.uid !== uid) return send(res, 400, messagePage('Sign-in expired', 'This sign-in request does not match your browser session.'));

    if (req.method === 'GET' && action === undefined) {
      if (details.prompt.name === 'login') return send(res, 200, this.#loginForm(uid, String(details.params.client_id ?? '')));
      if (details.prompt.name === 'consent') return this.#grantConsent(req, res, details);
    }
    if (req.method === 'POST' && action === 'login') return this.#login(req, res, uid, String(details.params.client_id ?? ''));
    if (req.method === 'POST' && action === 'abort') {
      return this.#provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the user cancelled the sign-in' }, { mergeWithLastSubmission: false });
    }
    send(res, 404, messagePage('Not found', 'There is nothing here.'));
  }

  async #login(req: IncomingMessage, res: ServerResponse, uid: string, clientId: string): Promise<void> {
    const form = await readForm(req);
    const email = form.get('email')?.trim() ?? '';
    const password = form.get('password') ?? '';
    if (!email || !password) {
      return send(res, 200, this.#loginForm(uid, clientId, email, 'Enter your email and your password.'));
    }
    const user = await this.#users.verifyPassword(email, password);
    if (!user) return send(res, 200, this.#loginForm(uid, clientId, email, 'The email or the password is wrong.'));
    await this.#provider.interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
  }

  async #grantConsent(req: IncomingMessage, res: ServerResponse, details: Awaited<ReturnType<Provider['interactionDetails']>>): Promise<void> {
    const { prompt, params, session, grantId } = details;
    const grant = grantId
      ? await this.#provider.Grant.find(grantId)
      : new this.#provider.Grant({ accountId: session?.accountId ?? '', clientId: String(params.client_id) });
    if (!grant) return send(res, 400, messagePage('Sign-in expired', 'This sign-in request has expired.'));
    const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
    const savedGrantId = await grant.save();
    await this.#provider.interactionFinished(req, res, { consent: { grantId: savedGrantId } }, { mergeWithLastSubmission: true });
  }

  #loginForm(uid: string, clientId: string, email?: string, error?: string): string {
    const base = `${this.#mountPath}/interaction/${encodeURIComponent(uid)}`;
    const clientName = clientId === 'ferry-cli' ? 'the Ferry CLI' : clientId === 'ferry-console' ? 'the Ferry console' : clientId;
    return loginPage({ action: `${base}/login`, abortAction: `${base}/abort`, clientName, ...(email ? { email } : {}), ...(error ? { error } : {}) });
  }
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-frame-options': 'DENY',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  });
  res.end(html);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) break;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
