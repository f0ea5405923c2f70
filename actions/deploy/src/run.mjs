/* global process, console, setTimeout */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readDeployRequest, withApplication } from './deploy-file.mjs';
import { error, mask, setOutputs, summaryMarkdown, writeSummary } from './github.mjs';
import { createHubClient } from './hub-client.mjs';
import { readInputs } from './inputs.mjs';

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'REJECTED']);

/**
 * The action: start a deployment through the hub's REST API, optionally wait for its end,
 * set the outputs and write the job summary. Resolves with the process exit code.
 * @param {NodeJS.ProcessEnv} env
 * @param {{ pollIntervalMs?: number, timeoutMs?: number }} [options]
 */
export async function run(env, options = {}) {
  try {
    const inputs = readInputs(env);
    const workspace = env.GITHUB_WORKSPACE || process.cwd();
    const file = path.resolve(workspace, inputs.pathToFile);
    const ca = inputs.caFile ? await readFile(path.resolve(workspace, inputs.caFile), 'utf8') : undefined;
    const request = await readDeployRequest(file);
    const deployFile = withApplication(request.deployFile, inputs.applicationName);
    const hub = createHubClient({ hubUrl: inputs.hubUrl, clientId: inputs.clientId, clientSecret: inputs.clientSecret, ...(ca ? { ca } : {}) });
    mask(await hub.authenticate());

    const started = await hub.startDeployment({ deployFile, manifests: request.manifests, context: inputs.context });
    console.log(`Started deployment ${started.id}: ${started.link}`);
    let status = await hub.deploymentStatus(started.id);
    await setOutputs(env, { DEPLOYMENT_ID: started.id, LINK: started.link });

    if (inputs.waitForDeployment) {
      const deadline = Date.now() + (options.timeoutMs ?? 6 * 60 * 60 * 1000);
      let last = '';
      while (!TERMINAL.has(status.status)) {
        const line = describe(status);
        if (line !== last) console.log(line);
        last = line;
        if (Date.now() > deadline) throw new Error(`deployment ${started.id} did not end in time; it is ${status.status}`);
        await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 5_000));
        status = await hub.deploymentStatus(started.id);
      }
      console.log(describe(status));
    }

    await setOutputs(env, { RUN_RESULT: status.status });
    await writeSummary(env, summaryMarkdown({
      application: status.application,
      id: started.id,
      link: started.link,
      status: status.status,
      waited: inputs.waitForDeployment,
      reason: status.reason,
      environments: status.environments,
    }));
    if (inputs.waitForDeployment && status.status !== 'SUCCEEDED') {
      error(`deployment ${started.id} ended ${status.status}${status.reason ? `: ${status.reason}` : ''}`);
      return 1;
    }
    return 0;
  } catch (cause) {
    error(cause instanceof Error ? cause.message : String(cause));
    return 1;
  }
}

/** One line per change while waiting: the deployment and each target. */
function describe(status) {
  const targets = (status.environments ?? []).map((e) => `${e.name}=${e.status}${e.weight != null ? `@${e.weight}%` : ''}`).join(' ');
  return `${status.status} ${targets}`.trim();
}
