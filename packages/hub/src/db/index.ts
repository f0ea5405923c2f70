export { openHubDatabase, type HubDatabase, type HubDatabaseOptions } from './open-hub-database.js';
export { createHubRepositories, type HubRepositoryOptions, type SqlHubRepositories } from './repositories.js';
export type { HubTables, HubDialectName } from './schema.js';
