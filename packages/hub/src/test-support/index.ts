export { startTestHub, hubFetch, clientCredentialsToken, uniqueSchema, dropSchema, TEST_POSTGRES_URL, type TestHub, type TestFetchInit, type StartTestHubOptions } from './start-test-hub.js';
export { spawnHub, HUB_BIN, type SpawnedHub } from './spawn-hub.js';
export { machineToken, ORGANIZATION_FULL } from './machine-token.js';
export { deploymentsClient, waitFor, stepProblems, pauseIsWaiting, type HubEvent } from './deployments-client.js';
export { sampleAppDeployFile } from './sample-app.js';
export { openTestHubDatabase } from './test-database.js';
