export { createTestDatabase, testDatabaseKinds, testDatabaseServerUrl, type TestDatabase } from './test-database.js';
export {
  startServerProcess,
  removeDir,
  httpRequest,
  runCli,
  REPO_ROOT,
  type ServerProcess,
  type StartOptions,
  type HttpResponse,
  type CliResult,
} from './server-process.js';
export { OpenSslToolkit } from './openssl.toolkit.js';
export {
  clientDirectoryOf,
  testClient,
  testSecret,
  certificateRegistration,
  secretRegistration,
  type TestCertificate,
} from './client-directory.fixture.js';
export { adminApi, configureTokenIssuer, clientWithRole, type AdminApi, type CreatedClient } from './admin-api.client.js';
export { caught } from './caught.js';
