import { parseArgs } from 'node:util';
import { CRD_BUNDLES, type CrdBundle } from '../crds/install.js';

export const USAGE = `Usage: ferry-devcluster <command> [--name NAME] [options]

Commands:
  start        start the named dev cluster (or reuse it if running); prints its kubeconfig path
                 --data-dir DIR   keep the cluster's files in DIR
                 --no-node        don't start the simulated node
                 --no-prometheus  don't start Prometheus
                 --timeout SEC    per-component start-up timeout (default 180)
  stop         stop every process of the cluster and delete its files (--all: every cluster)
  status       health of each component (--json for machine-readable; --all: every cluster)
               exits 0 when healthy, 1 otherwise
  kubeconfig   print the path of the cluster's admin kubeconfig
  logs         print the last lines of each component's log
                 --component C    only this one (etcd, apiserver, controller-manager, node, prometheus)
                 --lines N        lines per log (default 40)
  crds         install CRDs into the cluster: ferry-devcluster crds [smi] [istio] [gatewayApi]

State lives in $FERRY_DEVCLUSTER_HOME, else $XDG_STATE_HOME/ferry-devcluster, else ~/.local/state/ferry-devcluster.`;

export const COMMANDS = ['start', 'stop', 'status', 'kubeconfig', 'logs', 'crds'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliArgs {
  command: Command;
  name: string;
  dataDir?: string;
  node: boolean;
  prometheus: boolean;
  timeoutMs?: number;
  all: boolean;
  json: boolean;
  component?: string;
  lines: number;
  bundles: CrdBundle[];
}

/** Parses argv (without node and the script). Throws an Error with a message for the user on bad input. */
export function parseCliArgs(argv: string[]): CliArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string', short: 'n', default: 'default' },
      'data-dir': { type: 'string' },
      'no-node': { type: 'boolean', default: false },
      'no-prometheus': { type: 'boolean', default: false },
      timeout: { type: 'string' },
      all: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      component: { type: 'string' },
      lines: { type: 'string', default: '40' },
    },
  });
  const [command, ...rest] = positionals;
  if (!command) throw new Error('missing command');
  if (!(COMMANDS as readonly string[]).includes(command)) throw new Error(`unknown command '${command}'`);
  if (command !== 'crds' && rest.length > 0) throw new Error(`unexpected argument '${rest[0]}'`);
  const bundles = rest.map((bundle) => {
    if (!(bundle in CRD_BUNDLES)) throw new Error(`unknown CRD bundle '${bundle}'; known: ${Object.keys(CRD_BUNDLES).join(', ')}`);
    return bundle as CrdBundle;
  });
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && !(timeout > 0)) throw new Error(`--timeout must be a positive number of seconds, not '${values.timeout}'`);
  const lines = Number(values.lines);
  if (!Number.isInteger(lines) || lines <= 0) throw new Error(`--lines must be a positive integer, not '${values.lines}'`);
  return {
    command: command as Command,
    name: values.name,
    dataDir: values['data-dir'],
    node: !values['no-node'],
    prometheus: !values['no-prometheus'],
    timeoutMs: timeout === undefined ? undefined : timeout * 1000,
    all: values.all,
    json: values.json,
    component: values.component,
    lines,
    bundles: bundles.length > 0 ? bundles : (Object.keys(CRD_BUNDLES) as CrdBundle[]),
  };
}
