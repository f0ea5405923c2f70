import { parseArgs } from 'node:util';
import { FerryInputError } from '@ferry/core';
import type { HubOptions } from '../options.js';

export const HUB_USAGE = `Usage: ferry-hub [options]

  --data-dir DIR         state directory (default ~/.ferry/hub)          FERRY_HUB_DATA_DIR
  --host HOST            listen address (default 127.0.0.1)               FERRY_HUB_HOST
  --port PORT            listen port, 0 picks one (default 8443)          FERRY_HUB_PORT
  --public-url URL       URL clients use (load balancer); same on replicas FERRY_HUB_PUBLIC_URL
  --postgres URL         PostgreSQL instead of SQLite (for replicas)      FERRY_HUB_POSTGRES
  --postgres-schema S    schema for Ferry's tables                        FERRY_HUB_POSTGRES_SCHEMA
  --tls-cert FILE        provided certificate (PEM); with --tls-key       FERRY_HUB_TLS_CERT
  --tls-key FILE         provided key (PEM)                               FERRY_HUB_TLS_KEY
  --tls-ca FILE          CA clients should trust (PEM)                    FERRY_HUB_TLS_CA
  --plain-http           no TLS (loopback hosts only)                     FERRY_HUB_PLAIN_HTTP=1
  --master-key-file F    master key file (default <data-dir>/master.key)  FERRY_HUB_MASTER_KEY_FILE
  --kubeconfig FILE      its contexts are deployment targets              FERRY_HUB_KUBECONFIG
  --replica-name NAME    lease owner (default kept in <data-dir>)         FERRY_HUB_REPLICA_NAME
  --lease-ttl-ms MS      lease TTL (default 30000)                        FERRY_HUB_LEASE_TTL_MS
  --agent-hub-port PORT  Agent Hub (gRPC) port, 0 picks one (default 9443) FERRY_HUB_AGENT_HUB_PORT
  --no-agent-hub         no Agent Hub                                     FERRY_HUB_AGENT_HUB=0
  --nats URL             relay agents between replicas over NATS          FERRY_HUB_NATS_URL
  --console-dir DIR      serve this built web console at /console/       FERRY_HUB_CONSOLE_DIR
  --admin-email EMAIL    bootstrap admin, created on first start          FERRY_ADMIN_EMAIL
  --admin-password PW    bootstrap admin's password                       FERRY_ADMIN_PASSWORD
  --log-level LEVEL      fatal|error|warn|info|debug|trace|silent          FERRY_HUB_LOG_LEVEL
  -h, --help
`;

/** Flags win over environment variables; answers undefined for --help. */
export function hubOptionsFromArgs(argv: string[], env: NodeJS.ProcessEnv): HubOptions | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'data-dir': { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        'public-url': { type: 'string' },
        postgres: { type: 'string' },
        'postgres-schema': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'tls-ca': { type: 'string' },
        'plain-http': { type: 'boolean' },
        'master-key-file': { type: 'string' },
        kubeconfig: { type: 'string' },
        'replica-name': { type: 'string' },
        'lease-ttl-ms': { type: 'string' },
        'agent-hub-port': { type: 'string' },
        'no-agent-hub': { type: 'boolean' },
        nats: { type: 'string' },
        'console-dir': { type: 'string' },
        'admin-email': { type: 'string' },
        'admin-password': { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new FerryInputError((error as Error).message, { code: 'invalid_arguments' });
  }
  const v = parsed.values;
  if (v.help) return undefined;
  const pick = (flag: string | undefined, name: string) => flag ?? (env[name] ? env[name] : undefined);
  const number = (text: string | undefined, what: string) => {
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text)) throw new FerryInputError(`${what}: "${text}" is not a whole number`, { code: 'invalid_arguments' });
    return Number(text);
  };

  const options: HubOptions = {};
  const dataDir = pick(v['data-dir'], 'FERRY_HUB_DATA_DIR');
  if (dataDir) options.dataDir = dataDir;
  const host = pick(v.host, 'FERRY_HUB_HOST');
  if (host) options.host = host;
  const port = number(pick(v.port, 'FERRY_HUB_PORT'), '--port');
  if (port !== undefined) options.port = port;
  const publicUrl = pick(v['public-url'], 'FERRY_HUB_PUBLIC_URL');
  if (publicUrl) options.publicUrl = publicUrl;
  const postgres = pick(v.postgres, 'FERRY_HUB_POSTGRES');
  const schema = pick(v['postgres-schema'], 'FERRY_HUB_POSTGRES_SCHEMA');
  if (postgres) options.database = { postgres, ...(schema ? { schema } : {}) };
  else if (schema) throw new FerryInputError('--postgres-schema needs --postgres', { code: 'invalid_arguments' });

  const plain = v['plain-http'] ?? ['1', 'true', 'yes'].includes((env.FERRY_HUB_PLAIN_HTTP ?? '').toLowerCase());
  const certFile = pick(v['tls-cert'], 'FERRY_HUB_TLS_CERT');
  const keyFile = pick(v['tls-key'], 'FERRY_HUB_TLS_KEY');
  const caFile = pick(v['tls-ca'], 'FERRY_HUB_TLS_CA');
  if (plain && (certFile || keyFile)) throw new FerryInputError('--plain-http and --tls-cert/--tls-key exclude each other', { code: 'invalid_arguments' });
  if (plain) options.tls = { mode: 'plain' };
  else if (certFile || keyFile) {
    if (!certFile || !keyFile) throw new FerryInputError('--tls-cert and --tls-key go together', { code: 'invalid_arguments' });
    options.tls = { mode: 'provided', certFile, keyFile, ...(caFile ? { caFile } : {}) };
  }

  const masterKeyFile = pick(v['master-key-file'], 'FERRY_HUB_MASTER_KEY_FILE');
  if (masterKeyFile) options.masterKey = { file: masterKeyFile };
  const kubeconfig = pick(v.kubeconfig, 'FERRY_HUB_KUBECONFIG');
  if (kubeconfig) options.kubeconfig = kubeconfig;
  const replicaName = pick(v['replica-name'], 'FERRY_HUB_REPLICA_NAME');
  if (replicaName) options.replicaName = replicaName;
  const leaseTtlMs = number(pick(v['lease-ttl-ms'], 'FERRY_HUB_LEASE_TTL_MS'), '--lease-ttl-ms');
  if (leaseTtlMs !== undefined) options.leaseTtlMs = leaseTtlMs;
  const consoleDir = pick(v['console-dir'], 'FERRY_HUB_CONSOLE_DIR');
  if (consoleDir) options.console = { assetsDir: consoleDir };
  const agentHubPort = number(pick(v['agent-hub-port'], 'FERRY_HUB_AGENT_HUB_PORT'), '--agent-hub-port');
  const agentHubOff = v['no-agent-hub'] ?? ['0', 'false', 'no', 'off'].includes((env.FERRY_HUB_AGENT_HUB ?? '').toLowerCase());
  const nats = pick(v.nats, 'FERRY_HUB_NATS_URL');
  if (agentHubPort !== undefined || agentHubOff || nats) options.agentHub = { enabled: !agentHubOff, port: agentHubPort ?? 9443, ...(nats ? { nats } : {}) };
  const email = pick(v['admin-email'], 'FERRY_ADMIN_EMAIL');
  const password = pick(v['admin-password'], 'FERRY_ADMIN_PASSWORD');
  if (email || password) {
    if (!email || !password) throw new FerryInputError('--admin-email and --admin-password go together', { code: 'invalid_arguments' });
    options.bootstrapAdmin = { email, password };
  }
  const logLevel = pick(v['log-level'], 'FERRY_HUB_LOG_LEVEL');
  if (logLevel) options.logLevel = logLevel as HubOptions['logLevel'];
  return options;
}
