/**
 * A Ferry engine in its own process, for the crash-resume e2e test: SQLite store file, the real
 * strategies and the kubeconfig connector. Run with `node --import tsx engine-process.ts '<json>'`:
 *
 *   {"mode":"start","db":…,"kubeconfigPath":…,"file":"<deploy file YAML>","owner":…}  starts a deployment
 *   {"mode":"resume","db":…,"kubeconfigPath":…,"owner":…}                            resumes the unfinished one
 *
 * It prints one JSON line per engine event (`{"event":type,"stepId","kind"}`, kind from the plan),
 * then `{"done":status}` when the deployment ends, and exits 0. The test kills it with SIGKILL.
 */
import { createEngine, parseDeployFile, type EngineEventV1 } from '@ferry/core';
import { kubernetes } from '@ferry/integrations/kubernetes';
import { createSqliteStore } from '@ferry/store-sql';
import { canary, thresholdJudgePlugin } from '@ferry/strategies';

interface Args {
  mode: 'start' | 'resume';
  db: string;
  kubeconfigPath: string;
  owner: string;
  file?: string;
}

const TERMINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'REJECTED'];
const print = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function main(args: Args): Promise<void> {
  const store = await createSqliteStore({ path: args.db });
  // Same owner name as the killed process: its leases are ours, so resuming starts at once.
  const engine = createEngine({ store, owner: args.owner, leaseTtlMs: 10_000, plugins: [canary({ pollIntervalMs: 500 }), thresholdJudgePlugin(), kubernetes({ kubeconfigPath: args.kubeconfigPath })] });
  const kinds = new Map<string, string>();
  engine.events.on('*', (event: EngineEventV1) => print({ event: event.type, ...(event.stepId ? { stepId: event.stepId, kind: kinds.get(event.stepId) } : {}) }));

  let id: string;
  if (args.mode === 'start') {
    if (!args.file) throw new Error('start needs file');
    id = (await engine.start(await parseDeployFile(args.file), { by: 'e2e' })).id;
  } else {
    const open = (await engine.list()).filter((d) => !TERMINAL.includes(d.state.status));
    if (open.length !== 1) throw new Error(`expected one unfinished deployment, found ${open.length}`);
    id = open[0]!.id;
  }
  const record = await engine.get(id);
  for (const target of record.spec.plan.targets) for (const stage of target.stages) for (const step of stage.steps) kinds.set(step.id, step.kind);
  print({ deployment: id, mode: args.mode });

  for (;;) {
    const { state } = await engine.get(id);
    if (TERMINAL.includes(state.status)) {
      print({ done: state.status, targets: Object.fromEntries(Object.entries(state.targets).map(([name, t]) => [name, t.status])) });
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await engine.close();
  await store.destroy();
}

main(JSON.parse(process.argv[2] ?? '{}') as Args).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`engine-process failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
