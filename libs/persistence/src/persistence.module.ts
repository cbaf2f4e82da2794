import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AdminApiKeyRepository } from '@s2s/admin-access';
import { AuditEventRepository } from '@s2s/audit';
import { CertificateRepository, CertificateRequestRepository, TokenIssuerAssignmentRepository, TokenIssuerWithdrawalRepository } from '@s2s/certificates';
import { AssertionReplayStore, ClientRepository, ResourceRepository } from '@s2s/clients';
import { CacheFreshness, ChangeFeed, DatabaseProbe, UnitOfWork } from '@s2s/core';
import { OAuthConfigurationRepository } from '@s2s/oauth-configuration';
import { PartnerApplicationRepository } from '@s2s/partners';
import { OAuthServerRepository } from '@s2s/oauth-servers';
import { MetadataDownloadRepository, SchedulerLease, TokenIssuerRenewalRepository } from '@s2s/rollover';
import { InstanceHeartbeatRepository } from '@s2s/lifecycle';
import { AuthenticationFailureStore } from '@s2s/oauth-wire';
import { RevocationRepository } from '@s2s/revocation';
import { DataSource } from 'typeorm';
import { type DatabaseTarget, openDataSource } from './data-source.factory.js';
import { DatabaseHealth } from './database-health.js';
import { TypeOrmAdminApiKeyRepository } from './repositories/typeorm-admin-api-key.repository.js';
import { TypeOrmAssertionReplayStore } from './repositories/typeorm-assertion-replay.store.js';
import { TypeOrmAuditEventRepository } from './repositories/typeorm-audit-event.repository.js';
import { TypeOrmClientRepository } from './repositories/typeorm-client.repository.js';
import { TypeOrmResourceRepository } from './repositories/typeorm-resource.repository.js';
import { TypeOrmPartnerApplicationRepository } from './repositories/typeorm-partner-application.repository.js';
import { TypeOrmOAuthServerRepository } from './repositories/typeorm-oauth-server.repository.js';
import { TypeOrmInstanceHeartbeatRepository } from './repositories/typeorm-instance-heartbeat.repository.js';
import { TypeOrmCertificateRequestRepository } from './repositories/typeorm-certificate-request.repository.js';
import { TypeOrmCertificateRepository } from './repositories/typeorm-certificate.repository.js';
import { TypeOrmTokenIssuerAssignmentRepository } from './repositories/typeorm-token-issuer-assignment.repository.js';
import { TypeOrmOAuthConfigurationRepository } from './repositories/typeorm-oauth-configuration.repository.js';
import { TypeOrmMetadataDownloadRepository } from './repositories/typeorm-metadata-download.repository.js';
import { TypeOrmSchedulerLease } from './repositories/typeorm-scheduler.lease.js';
import { TypeOrmTokenIssuerRenewalRepository } from './repositories/typeorm-token-issuer-renewal.repository.js';
import { TypeOrmAuthenticationFailureStore } from './repositories/typeorm-authentication-failure.store.js';
import { TypeOrmTokenIssuerWithdrawalRepository } from './repositories/typeorm-token-issuer-withdrawal.repository.js';
import { TypeOrmRevocationRepository } from './repositories/typeorm-revocation.repository.js';
import { CHANGE_NOTIFY_URL, TypeOrmChangeFeed } from './typeorm-change.feed.js';
import { TypeOrmUnitOfWork } from './typeorm-unit-of-work.js';

/** Closes the database when the application shuts down (after in-flight requests finished). */
@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * TypeORM implementations of every storage port, over PostgreSQL or embedded PGlite. Global, so
 * domain modules inject the ports (abstract classes) without knowing TypeORM.
 */
@Global()
@Module({})
export class PersistenceModule {
  /** `options.changeNotify` (default true): on PostgreSQL, learn about other instances' changes by LISTEN/NOTIFY besides the poll. */
  static forRoot(target: DatabaseTarget, options: { changeNotify?: boolean } = {}): DynamicModule {
    const notifyUrl = target.kind === 'postgres' && options.changeNotify !== false ? target.url : null;
    return {
      module: PersistenceModule,
      providers: [
        { provide: CHANGE_NOTIFY_URL, useValue: notifyUrl },
        { provide: DataSource, useFactory: () => openDataSource(target) },
        DataSourceCloser,
        TypeOrmUnitOfWork,
        { provide: UnitOfWork, useExisting: TypeOrmUnitOfWork },
        TypeOrmChangeFeed,
        { provide: ChangeFeed, useExisting: TypeOrmChangeFeed },
        { provide: CacheFreshness, useExisting: TypeOrmChangeFeed },
        { provide: OAuthConfigurationRepository, useClass: TypeOrmOAuthConfigurationRepository },
        { provide: AdminApiKeyRepository, useClass: TypeOrmAdminApiKeyRepository },
        { provide: AuditEventRepository, useClass: TypeOrmAuditEventRepository },
        { provide: CertificateRepository, useClass: TypeOrmCertificateRepository },
        { provide: CertificateRequestRepository, useClass: TypeOrmCertificateRequestRepository },
        { provide: TokenIssuerAssignmentRepository, useClass: TypeOrmTokenIssuerAssignmentRepository },
        { provide: ClientRepository, useClass: TypeOrmClientRepository },
        { provide: ResourceRepository, useClass: TypeOrmResourceRepository },
        { provide: AssertionReplayStore, useClass: TypeOrmAssertionReplayStore },
        { provide: PartnerApplicationRepository, useClass: TypeOrmPartnerApplicationRepository },
        { provide: OAuthServerRepository, useClass: TypeOrmOAuthServerRepository },
        { provide: MetadataDownloadRepository, useClass: TypeOrmMetadataDownloadRepository },
        { provide: SchedulerLease, useClass: TypeOrmSchedulerLease },
        { provide: TokenIssuerRenewalRepository, useClass: TypeOrmTokenIssuerRenewalRepository },
        { provide: InstanceHeartbeatRepository, useClass: TypeOrmInstanceHeartbeatRepository },
        { provide: RevocationRepository, useClass: TypeOrmRevocationRepository },
        { provide: TokenIssuerWithdrawalRepository, useClass: TypeOrmTokenIssuerWithdrawalRepository },
        { provide: AuthenticationFailureStore, useClass: TypeOrmAuthenticationFailureStore },
        DatabaseHealth,
        { provide: DatabaseProbe, useExisting: DatabaseHealth },
      ],
      exports: [
        DataSource,
        UnitOfWork,
        TypeOrmUnitOfWork,
        ChangeFeed,
        CacheFreshness,
        OAuthConfigurationRepository,
        AdminApiKeyRepository,
        AuditEventRepository,
        CertificateRepository,
        CertificateRequestRepository,
        TokenIssuerAssignmentRepository,
        ClientRepository,
        ResourceRepository,
        AssertionReplayStore,
        PartnerApplicationRepository,
        OAuthServerRepository,
        MetadataDownloadRepository,
        SchedulerLease,
        TokenIssuerRenewalRepository,
        InstanceHeartbeatRepository,
        RevocationRepository,
        AuthenticationFailureStore,
        TokenIssuerWithdrawalRepository,
        DatabaseHealth,
        DatabaseProbe,
      ],
    };
  }
}
