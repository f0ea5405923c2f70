export { parseDeployFile, loadDeployFile } from './load-deploy-file.js';
export {
  validateDeployText,
  validateDeployFile,
  type DeployFileOptions,
  type DeployFileValidation,
} from './validate-deploy-file.js';
export { formatLocated } from './diagnostic-sink.js';
export { formatKeyPath, type KeyPath } from './key-path.js';
export { SUPPORTED_VERSIONS, SUPPORTED_KINDS } from './check-version-kind.js';
export { DEFAULT_TIMEOUT, MIN_TIMEOUT_MS } from './normalize.js';
export { makeDuration } from './normalize-steps.js';
