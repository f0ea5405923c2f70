import type { Command } from 'commander';
import pc from 'picocolors';
import { FerryInputError, FerryUnauthenticatedError } from '@ferry/core';
import { credentialsPath, readCredentials, removeCredentials, writeCredentials } from '../auth/credentials-file.js';
import { CLI_CLIENT_ID, discover, postForm, type TokenAnswer } from '../auth/oidc.js';
import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-codes.js';
import { readCa } from '../hub-client/http.js';
import { envOption, outputOption } from '../options.js';
import { formatData, type OutputFormat } from '../render/output-format.js';

/** `ferry login`: the OAuth device flow against the hub; tokens go to the credentials file (0600). */
export function registerLoginCommands(program: Command, ctx: CommandContext): void {
  program
    .command('login')
    .description('sign in to a hub with your browser (device flow); saves tokens in ~/.ferry/credentials.json (FERRY_CREDENTIALS_FILE)')
    .addOption(envOption('--hub <url>', 'the hub (default: the one you last logged in to)', 'FERRY_HUB_URL'))
    .addOption(envOption('--ca-file <path>', "a PEM CA to trust for the hub's TLS", 'FERRY_CA_FILE'))
    .addOption(outputOption())
    .action(async (options: { hub?: string; caFile?: string; output: OutputFormat }) => {
      const path = credentialsPath(ctx.io.env);
      const previous = readCredentials(path);
      const hub = (options.hub || previous?.hub)?.replace(/\/+$/, '');
      if (!hub) throw new FerryInputError('which hub? pass --hub URL or set FERRY_HUB_URL', { code: 'no_hub' });
      const caFile = options.caFile || (previous?.hub === hub ? previous.caFile : undefined);
      const target = { baseUrl: hub, ...(caFile ? { ca: readCa(caFile) as string } : {}) };
      const endpoints = await discover(target);
      if (!endpoints.deviceAuthorizationEndpoint) throw new FerryUnauthenticatedError(`the hub at ${hub} does not offer the device flow`, { code: 'no_device_flow' });
      const started = await postForm(target, endpoints.deviceAuthorizationEndpoint, { client_id: CLI_CLIENT_ID, scope: 'openid offline_access' });
      if (started.status !== 200) throw new FerryUnauthenticatedError(`the hub refused to start a login (HTTP ${started.status})`, { code: 'device_flow_refused' });
      const device = JSON.parse(started.text) as { device_code: string; user_code: string; verification_uri: string; verification_uri_complete?: string; interval?: number; expires_in: number };
      const paint = { bold: (s: string) => (ctx.io.isTTY ? pc.bold(s) : s) };
      // Prompts go to stderr so `-o json` keeps stdout for the result.
      ctx.io.stderr(`Open ${paint.bold(device.verification_uri_complete ?? device.verification_uri)}\nand confirm the code ${paint.bold(device.user_code)}\nWaiting for you to sign in...\n`);
      const tokens = await pollForTokens(target, endpoints.tokenEndpoint, device, ctx.signal);
      writeCredentials(path, {
        hub,
        ...(caFile ? { caFile } : {}),
        accessToken: tokens.access_token,
        ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
        expiresAt: Date.now() + (tokens.expires_in ?? 300) * 1000,
        tokenEndpoint: endpoints.tokenEndpoint,
        clientId: CLI_CLIENT_ID,
      });
      if (options.output === 'text') ctx.io.stdout(`${pc.green('✔')} logged in to ${hub} (credentials in ${path})\n`);
      else ctx.io.stdout(formatData(options.output, { hub, credentialsFile: path }));
      ctx.setExit(ExitCode.Success);
    });

  program
    .command('logout')
    .description('forget the tokens ferry login saved')
    .addOption(outputOption())
    .action((options: { output: OutputFormat }) => {
      const path = credentialsPath(ctx.io.env);
      const removed = removeCredentials(path);
      if (options.output === 'text') ctx.io.stdout(removed ? `logged out (removed ${path})\n` : 'not logged in\n');
      else ctx.io.stdout(formatData(options.output, { loggedOut: removed, credentialsFile: path }));
      ctx.setExit(ExitCode.Success);
    });
}

async function pollForTokens(
  target: { baseUrl: string; ca?: string },
  tokenEndpoint: string,
  device: { device_code: string; interval?: number; expires_in: number },
  signal: AbortSignal,
): Promise<TokenAnswer> {
  let interval = (device.interval ?? 5) * 1000;
  const deadline = Date.now() + device.expires_in * 1000;
  while (Date.now() < deadline && !signal.aborted) {
    await new Promise((resolve) => setTimeout(resolve, interval));
    const answer = await postForm(target, tokenEndpoint, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: device.device_code, client_id: CLI_CLIENT_ID });
    if (answer.status === 200) return JSON.parse(answer.text) as TokenAnswer;
    const error = (JSON.parse(answer.text || '{}') as { error?: string }).error;
    if (error === 'authorization_pending') continue;
    if (error === 'slow_down') {
      interval += 5000;
      continue;
    }
    throw new FerryUnauthenticatedError(`login failed: ${error ?? `HTTP ${answer.status}`}`, { code: 'login_failed' });
  }
  throw new FerryUnauthenticatedError(signal.aborted ? 'login interrupted' : 'the login code expired before you confirmed it: run ferry login again', { code: 'login_expired' });
}
