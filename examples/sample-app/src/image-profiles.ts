/**
 * The one table of what each `ferry/sample-app:<tag>` image does. The simulated node reads it to
 * build a pod's environment, and docs/tests refer to it, so an image tag means the same everywhere.
 * Values are environment variables understood by `readConfigFromEnv`.
 */
export const SAMPLE_APP_IMAGE = 'ferry/sample-app';

export const imageProfiles: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  // Healthy releases.
  v1: { VERSION: 'v1', ERROR_RATE: '0', LATENCY_MS: '0' },
  v2: { VERSION: 'v2', ERROR_RATE: '0', LATENCY_MS: '0' },
  // A bad release: 30% of requests fail with 500 and every request is 150 ms slower.
  v3: { VERSION: 'v3', ERROR_RATE: '0.3', LATENCY_MS: '150' },
  // Starts and serves, but its readiness probe always answers 503.
  'never-ready': { VERSION: 'never-ready', ERROR_RATE: '0', LATENCY_MS: '0', NEVER_READY: 'true' },
};

/**
 * The profile tag of a sample-app image reference, or undefined when the image is not the
 * sample app. Accepts an optional registry prefix (`registry.local:5000/ferry/sample-app:v1`).
 */
export function sampleAppTag(image: string): string | undefined {
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const colon = ref.lastIndexOf(':');
  if (colon < 0 || ref.lastIndexOf('/') > colon) return ref.endsWith(SAMPLE_APP_IMAGE) ? 'latest' : undefined;
  const repo = ref.slice(0, colon);
  if (repo !== SAMPLE_APP_IMAGE && !repo.endsWith(`/${SAMPLE_APP_IMAGE}`)) return undefined;
  return ref.slice(colon + 1);
}

/** Environment for a sample-app image, or undefined when the image is not a known profile. */
export function profileEnvForImage(image: string): Readonly<Record<string, string>> | undefined {
  const tag = sampleAppTag(image);
  return tag === undefined ? undefined : imageProfiles[tag];
}
