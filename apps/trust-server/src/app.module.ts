import { type DynamicModule, Module } from '@nestjs/common';
import { AdminAccessModule } from '@s2s/admin-access';
import { AuditModule } from '@s2s/audit';
import { CertificatesModule } from '@s2s/certificates';
import { ClientsModule } from '@s2s/clients';
import { AppConfig, AppConfigModule, MasterKey } from '@s2s/config';
import { type Clock, CoreModule } from '@s2s/core';
import { LifecycleModule, type ServingCertificate } from '@s2s/lifecycle';
import { MetadataModule } from '@s2s/metadata';
import { OAuthConfigurationModule } from '@s2s/oauth-configuration';
import { OperationsModule } from '@s2s/operations';
import { OAuthServersModule } from '@s2s/oauth-servers';
import { PartnersModule } from '@s2s/partners';
import { PersistenceModule } from '@s2s/persistence';
import { RevocationModule } from '@s2s/revocation';
import { TokenIssuerModule } from '@s2s/token-issuer';
import { ValidationModule } from '@s2s/validation';
import { FirstStartService } from './first-start.service.js';

/** What the module needs besides the configuration; tests override the clock. */
export interface AppModuleOptions {
  clock?: Clock;
  /** Loaded before Nest starts, like the configuration. */
  masterKey: MasterKey;
  /** The certificate the HTTPS listener serves (its expiry is watched); null or absent with TLS off. */
  servingCertificate?: ServingCertificate['certificate'];
}

/** The trust server: one module per capability, wired to PostgreSQL or embedded PGlite. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config, options.masterKey),
        CoreModule.forRoot(options.clock),
        PersistenceModule.forRoot(
          config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', directory: config.dataDir },
          { changeNotify: config.changeNotify },
        ),
        OperationsModule,
        AuditModule,
        AdminAccessModule,
        OAuthConfigurationModule,
        CertificatesModule,
        MetadataModule,
        ClientsModule,
        TokenIssuerModule,
        PartnersModule,
        OAuthServersModule,
        RevocationModule,
        ValidationModule,
        LifecycleModule.forRoot(options.servingCertificate ?? null),
      ],
      providers: [FirstStartService],
    };
  }
}
