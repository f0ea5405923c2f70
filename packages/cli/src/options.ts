import { InvalidArgumentError, Option } from 'commander';
import { OUTPUT_FORMATS } from './render/output-format.js';

/**
 * An option that also reads `FERRY_<LONG_FLAG>` (e.g. `--hub` from FERRY_HUB): every flag of
 * every verb has an environment variable, so CI jobs configure the CLI without flags.
 */
export function envOption(flags: string, description: string, envName?: string): Option {
  const option = new Option(flags, description);
  return option.env(envName ?? envNameOf(option));
}

/** `--add-context` → `FERRY_ADD_CONTEXT`. */
export function envNameOf(option: Option): string {
  const long = (option.long ?? option.short ?? '').replace(/^-+/, '');
  return `FERRY_${long.replace(/([a-z])([A-Z])/g, '$1_$2').replace(/-/g, '_').toUpperCase()}`;
}

export function outputOption(): Option {
  return envOption('-o, --output <format>', 'output format', 'FERRY_OUTPUT').choices(OUTPUT_FORMATS).default('text');
}

/** Where the hub is and how to trust and reach it; without a hub the CLI runs in local mode. */
export function hubOptions(): Option[] {
  return [
    envOption('--hub <url>', 'the hub to talk to (default: the one `ferry login` saved; none = local mode)', 'FERRY_HUB_URL'),
    envOption('--ca-file <path>', "a PEM CA to trust for the hub's TLS (the hub's local CA: <dataDir>/tls/ca.pem)", 'FERRY_CA_FILE'),
    envOption('--client-id <id>', 'machine credential: OAuth client id (also ARMORY_CLIENT_ID)', 'FERRY_CLIENT_ID'),
    envOption('--client-secret <secret>', 'machine credential: OAuth client secret (also ARMORY_CLIENT_SECRET)', 'FERRY_CLIENT_SECRET'),
  ];
}

/** Local mode: the engine in this process, state in a SQLite file, clusters by kube context. */
export function localOptions(): Option[] {
  return [
    envOption('--state-file <path>', 'local mode: the SQLite state file (default ~/.ferry/local.db)', 'FERRY_STATE_FILE'),
    envOption('--kubeconfig <path>', 'local mode: kubeconfig whose context names are target accounts (default $KUBECONFIG or ~/.kube/config)', 'FERRY_KUBECONFIG'),
  ];
}

/** Options shared by every deployment verb. */
export function connectionOptions(): Option[] {
  return [...hubOptions(), ...localOptions()];
}

/** Accumulates a repeatable `k=v` flag into a record. */
export function collectKeyValue(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const pairs = value.includes('\n') ? value.split('\n') : [value];
  const next = { ...previous };
  for (const pair of pairs.filter((p) => p.trim() !== '')) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new InvalidArgumentError(`expected key=value, got "${pair}"`);
    next[pair.slice(0, at).trim()] = pair.slice(at + 1);
  }
  return next;
}
