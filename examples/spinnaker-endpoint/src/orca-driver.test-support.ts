/**
 * Drives the endpoint the way Orca's webhook stage does with the settings in
 * examples/spinnaker/orca-local.yml: POST the payload with the configured headers, read the
 * status URL from the response (`statusUrlResolution: webhookResponse`,
 * `statusUrlJsonPath: $.statusUrl`), then GET it every `pollIntervalMs` until `$.status` is
 * one of the success, canceled or terminal statuses.
 */
export interface OrcaStageResult {
  /** Orca's stage outcome. */
  outcome: 'SUCCEEDED' | 'CANCELED' | 'TERMINAL';
  startResponse: { status: number; body: Record<string, unknown> };
  /** Every distinct `$.progress` seen while polling. */
  progress: string[];
  last: Record<string, unknown>;
}

export const STAGE = {
  successStatuses: ['SUCCEEDED'],
  canceledStatuses: ['CANCELLED'],
  terminalStatuses: ['FAILED', 'REJECTED'],
};

export async function runWebhookStage(input: {
  url: string;
  token: string;
  payload: unknown;
  pollIntervalMs?: number;
  timeoutMs?: number;
  /** Called after each poll, e.g. to cancel the stage. */
  onPoll?: (status: Record<string, unknown>) => Promise<void> | void;
}): Promise<OrcaStageResult> {
  const headers = { authorization: `Bearer ${input.token}`, 'content-type': 'application/json' };
  const start = await fetch(input.url, { method: 'POST', headers, body: JSON.stringify(input.payload) });
  const body = (await start.json()) as Record<string, unknown>;
  if (start.status < 200 || start.status >= 300) {
    // Orca fails the stage on a non-2xx answer to the webhook.
    return { outcome: 'TERMINAL', startResponse: { status: start.status, body }, progress: [], last: body };
  }
  const statusUrl = String(body.statusUrl);
  const progress: string[] = [];
  const deadline = Date.now() + (input.timeoutMs ?? 200_000);
  for (;;) {
    const response = await fetch(statusUrl, { headers });
    const status = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`status URL answered ${response.status}: ${JSON.stringify(status)}`);
    if (progress.at(-1) !== status.progress) progress.push(String(status.progress));
    const value = String(status.status);
    if (STAGE.successStatuses.includes(value)) return { outcome: 'SUCCEEDED', startResponse: { status: start.status, body }, progress, last: status };
    if (STAGE.canceledStatuses.includes(value)) return { outcome: 'CANCELED', startResponse: { status: start.status, body }, progress, last: status };
    if (STAGE.terminalStatuses.includes(value)) return { outcome: 'TERMINAL', startResponse: { status: start.status, body }, progress, last: status };
    if (Date.now() > deadline) throw new Error(`the stage did not end in time: ${JSON.stringify(status)}`);
    await input.onPoll?.(status);
    await new Promise((resolve) => setTimeout(resolve, input.pollIntervalMs ?? 250));
  }
}
