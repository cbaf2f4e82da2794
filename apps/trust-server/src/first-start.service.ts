import { join } from 'node:path';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AdminApiKeyService } from '@s2s/admin-access';
import { AppConfig } from '@s2s/config';
import { OAuthConfigurationService } from '@s2s/oauth-configuration';

/** Name of the file the bootstrap admin key is written to, inside DATA_DIR. */
export const BOOTSTRAP_KEY_FILE = 'bootstrap-admin.key';

/**
 * First start against an empty database: create the OAuth configuration (a fresh service name) and
 * one admin key, written to `DATA_DIR/bootstrap-admin.key` (0600). The log names only the path.
 * Later starts find both and do nothing.
 */
@Injectable()
export class FirstStartService implements OnApplicationBootstrap {
  private readonly logger = new Logger('FirstStart');

  constructor(
    private readonly config: AppConfig,
    private readonly oauthConfiguration: OAuthConfigurationService,
    private readonly adminKeys: AdminApiKeyService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const configuration = await this.oauthConfiguration.ensureInitialized();
    this.logger.log({ serviceName: configuration.serviceName, realm: configuration.realm }, 'OAuth configuration loaded');
    const written = await this.adminKeys.ensureBootstrapKey(join(this.config.dataDir, BOOTSTRAP_KEY_FILE));
    if (written) this.logger.log({ path: written }, `bootstrap admin key written to ${written} (mode 0600)`);
  }
}
