import { describe, expect, it } from 'vitest';
import { readConfigFromEnv } from './config.js';
import { imageProfiles, profileEnvForImage, sampleAppTag } from './image-profiles.js';

describe('image profiles', () => {
  it('finds the tag of sample-app images only', () => {
    expect(sampleAppTag('ferry/sample-app:v1')).toBe('v1');
    expect(sampleAppTag('localhost:5000/ferry/sample-app:never-ready')).toBe('never-ready');
    expect(sampleAppTag('ferry/sample-app')).toBe('latest');
    expect(sampleAppTag('nginx:1.25')).toBeUndefined();
    expect(sampleAppTag('other/ferry/sample-appx:v1')).toBeUndefined();
  });

  it('maps the documented tags to their behaviour', () => {
    const v1 = readConfigFromEnv({ ...profileEnvForImage('ferry/sample-app:v1') });
    const v3 = readConfigFromEnv({ ...profileEnvForImage('ferry/sample-app:v3') });
    const never = readConfigFromEnv({ ...profileEnvForImage('ferry/sample-app:never-ready') });
    expect(v1).toMatchObject({ version: 'v1', errorRate: 0, latencyMs: 0, neverReady: false });
    expect(readConfigFromEnv({ ...imageProfiles.v2 })).toMatchObject({ version: 'v2', errorRate: 0, neverReady: false });
    expect(v3).toMatchObject({ version: 'v3', errorRate: 0.3, latencyMs: 150, neverReady: false });
    expect(never).toMatchObject({ neverReady: true });
    expect(profileEnvForImage('ferry/sample-app:v404')).toBeUndefined();
  });
});
