import { Agent as HttpsAgent } from 'node:https';
import axios, { type AxiosInstance } from 'axios';

export interface HttpClientOptions {
  baseUrl: string;
  headers?: Record<string, string>;
  basicAuth?: { username: string; password: string };
  /** PEM contents (not paths) and whether to verify the server's certificate. */
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean };
}

/**
 * An axios instance for one provider endpoint. Redirects are not followed: following one
 * would send credential headers (API keys) to whatever host the redirect names.
 */
export function createHttpClient(options: HttpClientOptions): AxiosInstance {
  const tls = options.tls;
  return axios.create({
    baseURL: options.baseUrl.replace(/\/+$/, ''),
    headers: { Accept: 'application/json', ...options.headers },
    ...(options.basicAuth ? { auth: options.basicAuth } : {}),
    ...(tls
      ? {
          httpsAgent: new HttpsAgent({
            keepAlive: true,
            rejectUnauthorized: tls.rejectUnauthorized,
            ...(tls.ca ? { ca: tls.ca } : {}),
            ...(tls.cert ? { cert: tls.cert } : {}),
            ...(tls.key ? { key: tls.key } : {}),
          }),
        }
      : {}),
    maxRedirects: 0,
    // Every status is an answer; send() decides what is retried and what is an error.
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
  });
}
