import { Injectable } from '@nestjs/common';
import { AdminApiClient } from './admin-api.client.js';
import { CliError } from './cli-errors.js';
import { ENV_ADMIN_KEY, type CliSettings } from './cli-settings.js';

/**
 * Builds the {@link AdminApiClient} for one invocation. A factory rather than an injected client
 * because the server, key and CA are only known once commander has parsed the global options;
 * command tests can provide a fake factory.
 */
@Injectable()
export class AdminApiClientFactory {
  create(settings: CliSettings): AdminApiClient {
    if (!settings.adminKey) {
      throw new CliError(
        `no admin key: pass --admin-key or --admin-key-file, set ${ENV_ADMIN_KEY}, or run where the bootstrap key file ${settings.bootstrapKeyFile} is readable`,
      );
    }
    return new AdminApiClient({ baseUrl: settings.serverUrl, adminKey: settings.adminKey, ca: settings.ca });
  }
}
