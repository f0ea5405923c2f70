/** Test helpers for the identity e2e test: a throwaway TLS certificate and a tiny cookie-keeping browser. */
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { Agent, fetch as undiciFetch } from 'undici';

/** A self-signed certificate for 127.0.0.1 (it is its own CA for the test's clients). */
export async function selfSignedCertificate(): Promise<{ key: string; cert: string }> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=127.0.0.1',
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 24 * 3600_000),
    signingAlgorithm: algorithm,
    keys: keys as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'],
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '127.0.0.1' }]),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign, true),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`;
  return { key, cert: certificate.toString('pem') };
}

/** A fetch that trusts the test's certificate (and nothing else). */
export function fetchTrusting(ca: string): { fetch: typeof fetch; close(): Promise<void> } {
  const dispatcher = new Agent({ connect: { ca } });
  const trustingFetch = ((url: string | URL, init?: RequestInit) =>
    undiciFetch(url, { ...(init as object), dispatcher } as Parameters<typeof undiciFetch>[1])) as unknown as typeof fetch;
  return { fetch: trustingFetch, close: () => dispatcher.close() };
}

interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

/** Keeps cookies and follows redirects by hand, like a browser driving HTML forms. */
export class TestBrowser {
  readonly #fetch: typeof fetch;
  #cookies: StoredCookie[] = [];

  constructor(trustingFetch: typeof fetch) {
    this.#fetch = trustingFetch;
  }

  /** GET (or POST a form) and follow redirects; answers the final page. */
  async open(url: string, form?: Record<string, string>): Promise<{ url: string; status: number; html: string }> {
    let current = url;
    let method = form ? 'POST' : 'GET';
    let body: string | undefined = form ? new URLSearchParams(form).toString() : undefined;
    for (let hop = 0; hop < 20; hop += 1) {
      const target = new URL(current);
      const headers: Record<string, string> = { accept: 'text/html' };
      const cookie = this.#cookieHeader(target.pathname);
      if (cookie) headers.cookie = cookie;
      if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      const response = await this.#fetch(current, { method, headers, redirect: 'manual', ...(body !== undefined ? { body } : {}) });
      this.#remember(response.headers.getSetCookie());
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        current = new URL(location, current).href;
        method = 'GET';
        body = undefined;
        continue;
      }
      return { url: current, status: response.status, html: await response.text() };
    }
    throw new Error('too many redirects');
  }

  #cookieHeader(path: string): string {
    return this.#cookies
      .filter((c) => path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  #remember(setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const expired = attributes.some((a) => a.toLowerCase().startsWith('expires=') && Date.parse(a.slice(8)) < Date.now());
      this.#cookies = this.#cookies.filter((c) => !(c.name === name && c.path === path));
      if (!expired && value !== '') this.#cookies.push({ name, value, path });
    }
  }
}

/** The first form on the page whose id or action matches: its action and all its input values. */
export function readForm(html: string, match: RegExp, base: string): { action: string; fields: Record<string, string> } {
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)];
  const form = forms.find((f) => match.test(f[1] ?? ''));
  if (!form) throw new Error(`no form matching ${String(match)} in:\n${html}`);
  const action = /action="([^"]*)"/.exec(form[1] ?? '')?.[1] ?? '';
  const fields: Record<string, string> = {};
  for (const input of (form[2] ?? '').matchAll(/<input\b([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(input[1] ?? '')?.[1];
    const value = /value="([^"]*)"/.exec(input[1] ?? '')?.[1] ?? '';
    if (name) fields[name] = value.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  }
  return { action: new URL(action.replace(/&amp;/g, '&'), base).href, fields };
}
