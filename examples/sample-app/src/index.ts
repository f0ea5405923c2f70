/** @ferry/sample-app — the library side: image profiles and the app factory. */
export { SAMPLE_APP_IMAGE, imageProfiles, sampleAppTag, profileEnvForImage } from './image-profiles.js';
export { readConfigFromEnv, applyConfigPatch, type AppConfig } from './config.js';
export { createSampleApp, type SampleApp } from './app.js';
