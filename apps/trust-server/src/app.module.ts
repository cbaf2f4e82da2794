import { type DynamicModule, Module } from '@nestjs/common';
import { AdminAccessModule } from '@s2s/admin-access';
import { AuditModule } from '@s2s/audit';
import { AppConfig, AppConfigModule } from '@s2s/config';
import { type Clock, CoreModule } from '@s2s/core';
import { OAuthConfigurationModule } from '@s2s/oauth-configuration';
import { OperationsModule } from '@s2s/operations';
import { PersistenceModule } from '@s2s/persistence';
import { FirstStartService } from './first-start.service.js';

/** Options that tests override; production uses the defaults. */
export interface AppModuleOptions {
  clock?: Clock;
}

/** The trust server: one module per capability, wired to PostgreSQL or embedded PGlite. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        CoreModule.forRoot(options.clock),
        PersistenceModule.forRoot(
          config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', directory: config.dataDir },
        ),
        OperationsModule,
        AuditModule,
        AdminAccessModule,
        OAuthConfigurationModule,
      ],
      providers: [FirstStartService],
    };
  }
}
