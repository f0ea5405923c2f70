export const DEFAULT_MANIFEST_FETCH_TIMEOUT_MS = 30_000;

/** GETs a manifest URL; throws an Error whose message says what went wrong, for the diagnostic. */
export async function fetchManifest(url: string, fetchImpl: typeof fetch, timeoutMs: number): Promise<string> {
  let response: Response;
  try {
    response = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new Error(timedOut ? `timed out after ${timeoutMs} ms` : reason(error), { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  }
  return response.text();
}

function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
