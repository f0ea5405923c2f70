import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { send, type HttpTarget } from '../hub-client/http.js';

/** What the CLI tests use of the hub's `startTestHub` (typed here: the CLI does not compile against the hub's sources). */
export interface CliTestHub {
  url: string;
  hub: { caFile?: string; caCertPem?: string; issuer: string };
  repositories: {
    tenants: { ensure(name: string): Promise<unknown> };
    roles: { put(role: { tenant: string; name: string; grants: Array<{ type: string; resource: string; permission: string }> }): Promise<unknown> };
    credentials: { create(input: { tenant: string; name: string; roles: string[] }): Promise<{ credential: { clientId: string }; clientSecret: string }> };
  };
  close(): Promise<void>;
}

const HUB_TEST_SUPPORT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'hub', 'src', 'test-support', 'start-test-hub.ts');

/** The hub's own test helper (packages/hub/src/test-support), loaded at run time. */
export async function startHubForCli(options: Record<string, unknown>): Promise<CliTestHub> {
  const module = (await import(pathToFileURL(HUB_TEST_SUPPORT).href)) as { startTestHub(options: Record<string, unknown>): Promise<CliTestHub> };
  return module.startTestHub(options);
}

/** Keeps cookies and follows redirects, enough to drive the hub's device-flow pages like a person would. */
export class FormBrowser {
  private cookies = new Map<string, string>();

  constructor(private readonly target: HttpTarget) {}

  async open(url: string, form?: Record<string, string>): Promise<{ url: string; status: number; html: string }> {
    let current = url;
    let body = form ? new URLSearchParams(form).toString() : undefined;
    for (let hop = 0; hop < 20; hop++) {
      const headers: Record<string, string> = { accept: 'text/html' };
      if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      const answer = await send(this.target, current, { method: body !== undefined ? 'POST' : 'GET', headers, ...(body !== undefined ? { body } : {}) });
      const setCookies = answer.headers['set-cookie'] ?? [];
      for (const header of setCookies) {
        const [pair = ''] = header.split(';');
        const at = pair.indexOf('=');
        const value = pair.slice(at + 1).trim();
        if (value === '' || /expires=Thu, 01 Jan 1970/i.test(header)) this.cookies.delete(pair.slice(0, at).trim());
        else this.cookies.set(pair.slice(0, at).trim(), value);
      }
      const location = answer.headers.location;
      if (answer.status >= 300 && answer.status < 400 && location) {
        current = new URL(location, current).href;
        body = undefined;
        continue;
      }
      return { url: current, status: answer.status, html: answer.text };
    }
    throw new Error('too many redirects');
  }
}

/** The first form whose attributes match: its absolute action and its input values. */
export function readForm(html: string, match: RegExp, base: string): { action: string; fields: Record<string, string> } {
  const form = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].find((f) => match.test(f[1] ?? ''));
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
