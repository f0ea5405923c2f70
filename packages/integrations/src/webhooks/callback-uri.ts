/**
 * Where an external system answers a webhook: `<base>/v1/callbacks/<deploymentId>/<stepId>/<token>`,
 * and it POSTs to that plus `/callback` (deploy-config.md's `{{armory.callbackUri}}/callback`).
 * The step id holds slashes, so it is percent-encoded into one segment. The token (256
 * random bits, minted and hashed by the engine) is what makes the URI unguessable.
 */
export const CALLBACK_ROUTE = '/v1/callbacks/:deploymentId/:stepId/:token/callback';

export function callbackUri(baseUrl: string, deploymentId: string, stepId: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/v1/callbacks/${encodeURIComponent(deploymentId)}/${encodeURIComponent(stepId)}/${encodeURIComponent(token)}`;
}
