import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export interface PrometheusServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface StartPrometheusOptions {
  /** `host:port` targets scraped every second. */
  scrapeTargets?: string[];
  /** Contents of `--web.config.file` (basic auth, TLS). */
  webConfig?: string;
  /** Headers for the readiness probe (e.g. basic auth). */
  probeHeaders?: Record<string, string>;
  /** Scheme of the readiness probe; with TLS the probe skips verification. */
  https?: boolean;
}

/** Starts Debian's `/usr/bin/prometheus` on a free 127.0.0.1 port with a temporary data dir; resolves when ready. */
export async function startPrometheus(options: StartPrometheusOptions = {}): Promise<PrometheusServer> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-prom-'));
  const port = await freePort();
  const scrape = (options.scrapeTargets ?? []).length
    ? `scrape_configs:\n  - job_name: target\n    scrape_interval: 1s\n    static_configs:\n      - targets: [${(options.scrapeTargets ?? []).map((t) => `"${t}"`).join(', ')}]\n`
    : '';
  await writeFile(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n${scrape}`);
  const args = [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ];
  if (options.webConfig !== undefined) {
    await writeFile(join(dir, 'web.yml'), options.webConfig);
    args.push(`--web.config.file=${join(dir, 'web.yml')}`);
  }
  const child: ChildProcess = spawn('/usr/bin/prometheus', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const scheme = options.https ? 'https' : 'http';
  const url = `${scheme}://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, options, () => child.exitCode !== null, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, stop };
}

async function waitReady(url: string, options: StartPrometheusOptions, dead: () => boolean, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (dead()) throw new Error(`prometheus exited: ${stderr()}`);
    if ((await probe(`${url}/-/ready`, options.probeHeaders ?? {})) === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`prometheus not ready after 30 s: ${stderr()}`);
}

/** The status of a GET, or 0 when the server cannot be reached. TLS is not verified (a probe only). */
function probe(url: string, headers: Record<string, string>): Promise<number> {
  const get = url.startsWith('https:') ? httpsGet : httpGet;
  return new Promise((resolve) => {
    const req = get(url, { headers, rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => req.destroy());
  });
}
