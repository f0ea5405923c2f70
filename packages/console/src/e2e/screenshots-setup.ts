import { mkdir, rm } from 'node:fs/promises';
import { SCREENSHOTS } from './screenshots-dir.js';

/** vitest globalSetup: every e2e run starts from an empty test-artifacts/screenshots/, so what is there is this run's. */
export default async function setup(): Promise<void> {
  await rm(SCREENSHOTS, { recursive: true, force: true });
  await mkdir(SCREENSHOTS, { recursive: true });
}
