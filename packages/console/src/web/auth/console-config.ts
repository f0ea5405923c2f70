/** Where the console signs in: answered by the hub at /console/config.json, else derived from the page. */
export interface ConsoleConfig {
  issuer: string;
  clientId: string;
  redirectUri: string;
  /** The hub's origin: the API lives at `<apiBaseUrl>/api/v1`. */
  apiBaseUrl: string;
}

export async function loadConsoleConfig(): Promise<ConsoleConfig> {
  const origin = window.location.origin;
  const fallback: ConsoleConfig = { issuer: `${origin}/oidc`, clientId: 'ferry-console', redirectUri: `${origin}/console/callback`, apiBaseUrl: origin };
  try {
    const response = await fetch('/console/config.json', { headers: { accept: 'application/json' } });
    if (!response.ok) return fallback;
    const body = (await response.json()) as Partial<ConsoleConfig>;
    return {
      issuer: body.issuer ?? fallback.issuer,
      clientId: body.clientId ?? fallback.clientId,
      redirectUri: body.redirectUri ?? fallback.redirectUri,
      apiBaseUrl: body.apiBaseUrl ?? fallback.apiBaseUrl,
    };
  } catch {
    return fallback;
  }
}
