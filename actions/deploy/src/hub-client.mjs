/* global Buffer, URL, URLSearchParams */
import http from 'node:http';
import https from 'node:https';

// node:http(s) rather than fetch: it takes a CA per request, so a hub with its own local CA
// works without NODE_EXTRA_CA_CERTS, and the action needs no npm packages.

/**
 * @param {string} url
 * @param {{ method?: string, headers?: Record<string, string>, body?: string, ca?: string, timeoutMs?: number }} options
 * @returns {Promise<{ status: number, text: string }>}
 */
function request(url, options) {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: options.method ?? 'GET',
        headers: { accept: 'application/json', ...options.headers },
        ...(options.ca ? { ca: options.ca } : {}),
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${target.origin} in time`)));
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** @param {{ status: number, text: string }} response */
function errorText(response) {
  try {
    const body = JSON.parse(response.text);
    return body.message ?? body.error_description ?? body.error ?? response.text;
  } catch {
    return response.text.slice(0, 500);
  }
}

/**
 * A small client for the hub's REST API, authenticated by the client-credentials grant.
 * @param {{ hubUrl: string, clientId: string, clientSecret: string, ca?: string }} options
 */
export function createHubClient(options) {
  let token = '';

  async function authenticate() {
    const basic = Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64');
    const response = await request(`${options.hubUrl}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
      body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
      ca: options.ca,
    });
    const body = safeJson(response.text);
    if (response.status !== 200 || typeof body?.access_token !== 'string') {
      // Never echo the secret: the hub's answer names the problem (e.g. invalid_client).
      throw new Error(`the hub refused the client credentials (HTTP ${response.status}): ${errorText(response)}`);
    }
    token = body.access_token;
    return token;
  }

  /** @param {string} method @param {string} path @param {unknown} [json] */
  async function call(method, path, json) {
    for (let attempt = 0; ; attempt++) {
      const response = await request(`${options.hubUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token || (await authenticate())}`, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
        ca: options.ca,
      });
      // A token that expired during a long wait: get a new one once.
      if (response.status === 401 && attempt === 0) {
        token = '';
        continue;
      }
      if (response.status < 200 || response.status >= 300) {
        throw Object.assign(new Error(`${method} ${path}: HTTP ${response.status}: ${errorText(response)}`), { status: response.status });
      }
      return safeJson(response.text);
    }
  }

  return {
    authenticate,
    /** @param {{ deployFile: string, manifests: Record<string, string>, context: Record<string, string> }} body @returns {Promise<{ id: string, link: string }>} */
    startDeployment: (body) => call('POST', '/api/v1/deployments', body),
    /** @param {string} id */
    deploymentStatus: (id) => call('GET', `/api/v1/deployments/${encodeURIComponent(id)}`),
  };
}

/** @param {string} text */
function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
