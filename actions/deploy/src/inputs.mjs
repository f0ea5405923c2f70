// Reads the action's inputs the way the runner passes them: INPUT_<NAME> env vars, with the
// name upper-cased and spaces turned into underscores (hyphens stay).

/** @param {NodeJS.ProcessEnv} env @param {string} name */
function input(env, name) {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** @param {NodeJS.ProcessEnv} env @param {string} name */
function required(env, name) {
  const value = input(env, name);
  if (!value) throw new Error(`input "${name}" is required`);
  return value;
}

/**
 * "k=v,k2=v2" (or one pair per line) → {k: 'v', k2: 'v2'}.
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseContext(text) {
  /** @type {Record<string, string>} */
  const context = {};
  for (const pair of text.split(/[,\n]/).map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`input "addContext": "${pair}" is not key=value`);
    context[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return context;
}

/** @param {string} text */
function parseBoolean(text, name) {
  if (text === '' || /^(false|no|0)$/i.test(text)) return false;
  if (/^(true|yes|1)$/i.test(text)) return true;
  throw new Error(`input "${name}": "${text}" is not true or false`);
}

/**
 * @typedef {object} ActionInputs
 * @property {string} pathToFile
 * @property {string} clientId
 * @property {string} clientSecret
 * @property {string} applicationName
 * @property {Record<string, string>} context
 * @property {boolean} waitForDeployment
 * @property {string} hubUrl
 * @property {string} caFile
 */

/** @param {NodeJS.ProcessEnv} env @returns {ActionInputs} */
export function readInputs(env) {
  const hubUrl = required(env, 'hubUrl').replace(/\/+$/, '');
  if (!/^https?:\/\//i.test(hubUrl)) throw new Error(`input "hubUrl": "${hubUrl}" is not an http(s) URL`);
  return {
    pathToFile: input(env, 'path-to-file') || 'deploy.yml',
    clientId: required(env, 'clientId'),
    clientSecret: required(env, 'clientSecret'),
    applicationName: input(env, 'applicationName'),
    context: parseContext(input(env, 'addContext')),
    waitForDeployment: parseBoolean(input(env, 'waitForDeployment'), 'waitForDeployment'),
    hubUrl,
    caFile: input(env, 'caFile'),
  };
}
