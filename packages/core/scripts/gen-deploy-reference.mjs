#!/usr/bin/env node
// Generates docs/deploy-file.md, the deployment-file reference, from the zod schema in
// src/config/schema (keys, types, required keys, allowed values) and the words in
// deploy-reference-notes.mjs. `npm run docs:deploy-file -w @ferry/core` (after a build)
// rewrites the file; src/config/schema/deploy-reference.test.ts fails when it is stale.
/* global process, console */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as z from 'zod';
import { DURATION_NOTES, NOTES, STEP_NOTES } from './deploy-reference-notes.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REFERENCE_FILE = join(HERE, '..', '..', '..', 'docs', 'deploy-file.md');

/** Splits `anyOf [X, null]` / `type: [t, 'null']` into the schema without null and a nullable flag. */
function withoutNull(schema) {
  if (Array.isArray(schema.anyOf)) {
    const rest = schema.anyOf.filter((s) => s.type !== 'null');
    const nullable = rest.length !== schema.anyOf.length;
    return { schema: rest.length === 1 ? rest[0] : { anyOf: rest }, nullable };
  }
  if (Array.isArray(schema.type) && schema.type.includes('null')) {
    const types = schema.type.filter((t) => t !== 'null');
    return { schema: { ...schema, type: types.length === 1 ? types[0] : types }, nullable: true };
  }
  return { schema, nullable: false };
}

const isDuration = (s) => s.type === 'object' && s.properties && Object.keys(s.properties).sort().join() === 'duration,unit,units';
const isStep = (s) => s.type === 'object' && s.properties && 'pause' in s.properties && 'custom' in s.properties;
const isRecord = (s) => s.type === 'object' && !s.properties && s.additionalProperties && typeof s.additionalProperties === 'object';

function range(s) {
  const low = s.minimum ?? s.exclusiveMinimum;
  // zod's int() carries the safe-integer bounds: not worth printing.
  const high = s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER ? s.maximum : undefined;
  if (low !== undefined && high !== undefined) return ` (${low}–${high})`;
  if (s.exclusiveMinimum !== undefined) return ` (> ${s.exclusiveMinimum})`;
  if (s.minimum !== undefined) return ` (≥ ${s.minimum})`;
  return '';
}

/** A short type name for a table cell. */
function typeName(raw) {
  const { schema: s } = withoutNull(raw);
  if (s.anyOf) return s.anyOf.map(typeName).join(' or ');
  if (isDuration(s)) return '[duration](#durations)';
  if (isStep(s)) return '[step](#steps)';
  if (s.enum) return s.enum.map((v) => `\`${v}\``).join(' \\| ');
  if (Array.isArray(s.type)) return s.type.join(' or ');
  if (s.type === 'array') {
    const items = withoutNull(s.items ?? {}).schema;
    if (isStep(items)) return 'list of [steps](#steps)';
    return `list of ${items.type === 'object' && !isRecord(items) ? 'objects' : items.type === 'string' ? 'strings' : typeName(items)}${s.minItems ? ` (at least ${s.minItems})` : ''}`;
  }
  if (isRecord(s)) return `map of name → ${typeName(s.additionalProperties)}`;
  if (s.type === 'integer') return `integer${range(s)}`;
  if (s.type === 'number') return `number${range(s)}`;
  if (s.type === 'string') return 'string';
  if (s.type === 'object') return 'object';
  if (s.type === 'boolean') return 'boolean';
  return 'any';
}

/** Every documented path below `schema`, depth first, as table rows. */
function walk(raw, path, required, rows, notes, missing) {
  const { schema: s, nullable } = withoutNull(raw);
  if (path) {
    const note = notes[path];
    if (note === undefined) missing.push(path);
    rows.push({ path, type: typeName(raw), required: required && !nullable, note: note ?? '**(undocumented)**' });
  }
  // Shared shapes are documented once, in their own sections (walked from their root).
  if (path && (isDuration(s) || isStep(s))) return;
  const variants = s.anyOf ?? [s];
  for (const v of variants) {
    const variant = withoutNull(v).schema;
    if (variant.type === 'object' && variant.properties) {
      for (const [key, child] of Object.entries(variant.properties)) {
        walk(child, path ? `${path}.${key}` : key, (variant.required ?? []).includes(key), rows, notes, missing);
      }
    } else if (isRecord(variant)) {
      walk(variant.additionalProperties, `${path}.<name>`, false, rows, notes, missing);
    } else if (variant.type === 'array') {
      const items = withoutNull(variant.items ?? {}).schema;
      if (items.type === 'object' && !isStep(items) && !isDuration(items)) walk(items, `${path}[]`, false, rows, notes, missing);
    }
  }
}

/** The first step / duration schema in the tree, to document once. */
function findShape(raw, test) {
  const { schema: s } = withoutNull(raw);
  if (test(s)) return s;
  const children = [...(s.anyOf ?? []), ...Object.values(s.properties ?? {}), ...(s.items ? [s.items] : []), ...(typeof s.additionalProperties === 'object' ? [s.additionalProperties] : [])];
  for (const child of children) {
    const found = findShape(child, test);
    if (found) return found;
  }
  return undefined;
}

function table(rows, strip = '') {
  const lines = ['| key | type | required | meaning |', '|---|---|---|---|'];
  for (const row of rows) {
    lines.push(`| \`${row.path.slice(strip.length)}\` | ${row.type} | ${row.required ? 'yes' : ''} | ${row.note} |`);
  }
  return lines.join('\n');
}

/**
 * The reference as markdown, and the schema paths that have no words in the notes.
 * @param {import('zod').ZodType} schema the deployment file's zod schema (deployFileSchema)
 */
export function renderDeployReference(schema) {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  const missing = [];
  const rows = [];
  walk(json, '', true, rows, NOTES, missing);
  const stepRows = [];
  walk(findShape(json, isStep), '', true, stepRows, STEP_NOTES, missing);
  const durationRows = [];
  walk(findShape(json, isDuration), '', true, durationRows, DURATION_NOTES, missing);

  const topKeys = Object.keys(json.properties);
  const sections = topKeys
    .map((key) => ({ key, rows: rows.filter((r) => r.path.startsWith(`${key}.`) || r.path.startsWith(`${key}[`)) }))
    .filter((section) => section.rows.length > 0)
    .map((section) => `## ${section.key}\n\n${table(section.rows)}`);

  const markdown = `<!-- Generated by packages/core/scripts/gen-deploy-reference.mjs from the zod schema in packages/core/src/config/schema. Do not edit: change the schema or scripts/deploy-reference-notes.mjs, then run \`npm run docs:deploy-file -w @ferry/core\`. -->

# The deployment file (\`deploy.yml\`) — reference

Ferry reads the deployment files written for Armory CD-as-a-Service (\`version: v1\`,
\`kind: kubernetes\`) unchanged. Keys marked **[ext]** are Ferry's additions; a file that does
not use them means what it meant before. \`ferry validate -f deploy.yml\` checks a file and
prints its plan; every problem comes with \`file:line:col\` and its key path.

A map's \`<name>\` is a name of your choosing; \`[]\` is an item of a list. Optional keys may
also be given as \`null\` (a key with nothing after it).

## Top level

${table(rows.filter((r) => topKeys.includes(r.path)))}

${sections.join('\n\n')}

## Steps

A step is a one-key map: \`- pause: {duration: 30, unit: seconds}\`. Canary steps may be any
kind; constraints take \`pause\`, \`runWebhook\`, \`analysis\` and \`custom\`; blue/green lists take
\`pause\`, \`exposeServices\`, \`runWebhook\`, \`analysis\` and \`custom\`.

${table(stepRows)}

## Durations

\`{duration: 30, unit: minutes}\`.

${table(durationRows)}

## Template variables

In \`queryTemplate\`, webhook URLs, headers and bodies: \`{{armory.NAME}}\` (or the alias
\`{{ferry.NAME}}\`) for ${['startTimeIso8601', 'startTimeEpochSeconds', 'startTimeEpochMillis', 'endTimeIso8601', 'endTimeEpochSeconds', 'endTimeEpochMillis', 'intervalMillis', 'intervalSeconds', 'promQlStepInterval', 'deploymentId', 'applicationName', 'environmentName', 'replicaSetName', 'accountName', 'namespace', 'callbackUri', 'preview.SERVICE'].map((v) => `\`${v}\``).join(', ')};
\`{{context.NAME}}\` and \`{{secrets.NAME}}\`. An unknown variable is an error when the file is
validated, not an empty string at run time. Manifests are not templated.

## Tolerance rules

Each of these pairs means the same; give one of them:

| written | same as |
|---|---|
| \`setWeight: 25\` | \`setWeight: {weight: 25}\` |
| \`unit\` | \`units\` (analysis steps, durations; case-insensitive) |
| \`requiresRole\` | \`requiresRoles\` |
| \`shutdownOldVersionAfter\` | \`shutDownOldVersionAfter\` |
| \`approvalDuration\` | \`approvalExpiration\` |

Unknown keys are warnings naming their path. A wrong type, a missing required key, a dangling
reference (strategy, query, webhook, target, service) or a cycle is an error naming its path,
e.g. \`targets.prod.constraints.dependsOn[0]: unknown target "stagin" (did you mean "staging"?)\`.
`;
  return { markdown, missing };
}

// Run as a script: write the file from the built schema (dist/config-schema.js).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { deployFileSchema } = await import('../dist/config-schema.js').catch((error) => {
    console.error(`build @ferry/core first (npx tsup in packages/core): ${error.message}`);
    process.exit(1);
  });
  const { markdown, missing } = renderDeployReference(deployFileSchema);
  if (missing.length > 0) {
    console.error(`add words for these keys to scripts/deploy-reference-notes.mjs:\n  ${missing.join('\n  ')}`);
    process.exitCode = 1;
  }
  await writeFile(REFERENCE_FILE, markdown);
  console.log(`wrote ${REFERENCE_FILE}`);
}
