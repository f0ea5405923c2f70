/** The demo's command line: `npm run demo -- [--kube-context NAME] [--prometheus-url URL]`. */
export interface DemoArgs {
  /** Run on this context of the user's kubeconfig instead of the local dev cluster. */
  kubeContext?: string;
  /** The Prometheus that judges the canaries (default: the dev cluster's). */
  prometheusUrl?: string;
  help: boolean;
}

export const USAGE = `Usage: npm run demo -- [--kube-context NAME] [--prometheus-url URL]

  --kube-context NAME    deploy to this context of your kubeconfig instead of the local dev
                         cluster "demo" (the sample app's images must be pullable there, and
                         --prometheus-url must name a Prometheus that scrapes its pods)
  --prometheus-url URL   the Prometheus that judges the canaries (default: the dev cluster's)
  -h, --help             this text

Output is a live view on a terminal and one line per event otherwise (CI, pipes).`;

export function parseDemoArgs(argv: string[]): DemoArgs {
  const args: DemoArgs = { help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const next = inline ?? argv[++i];
      if (!next || next.startsWith('--')) throw new Error(`${flag} needs a value\n\n${USAGE}`);
      return next;
    };
    if (flag === '--kube-context') args.kubeContext = value();
    else if (flag === '--prometheus-url') args.prometheusUrl = value();
    else if (flag === '-h' || flag === '--help') args.help = true;
    else throw new Error(`unknown argument "${arg}"\n\n${USAGE}`);
  }
  if (args.kubeContext && !args.prometheusUrl) throw new Error(`--kube-context needs --prometheus-url: the canaries are judged on the sample app's error rate\n\n${USAGE}`);
  return args;
}
