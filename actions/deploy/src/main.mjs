#!/usr/bin/env node
/* global process */
// Entry point of the GitHub Action (action.yml `runs.main`). Plain ESM with no npm
// dependencies, so the runner executes it straight from the checkout.
import { run } from './run.mjs';

process.exitCode = await run(process.env);
