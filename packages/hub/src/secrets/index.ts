export { loadMasterKey, generateMasterKeyFile, MASTER_KEY_ENV, type LoadMasterKeyOptions } from './master-key.js';
export { TenantKeyring, type TenantSealed } from './tenant-keyring.js';
export { SqlSecretVault } from './vault.js';
