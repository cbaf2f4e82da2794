import { type DynamicModule, Module } from '@nestjs/common';
import { AdminAccessModule } from '@s2s/admin-access';
import { CertificatesModule } from '@s2s/certificates';
import { ClientsModule } from '@s2s/clients';
import { OAuthConfigurationModule } from '@s2s/oauth-configuration';
import { OAuthServersModule } from '@s2s/oauth-servers';
import { PartnersModule } from '@s2s/partners';
import { TokenIssuerModule } from '@s2s/token-issuer';
import { ConnectivityTester } from './connectivity.tester.js';
import { CredentialExpiryMonitor } from './credential-expiry.monitor.js';
import { CredentialInventory } from './credential-inventory.js';
import { InstanceHeartbeat } from './instance-heartbeat.js';
import { LifecycleController } from './lifecycle.controller.js';
import { ServingCertificate } from './serving-certificate.js';
import { TrustStatusService } from './trust-status.service.js';

/**
 * The trust over its lifetime (issue 16): connectivity tests, `status`, expiry of every credential,
 * instance heartbeats. `servingCertificate` is the certificate the HTTPS listener serves (null
 * with TLS off).
 */
@Module({})
export class LifecycleModule {
  static forRoot(servingCertificate: ServingCertificate['certificate']): DynamicModule {
    return {
      module: LifecycleModule,
      imports: [AdminAccessModule, CertificatesModule, ClientsModule, OAuthConfigurationModule, OAuthServersModule, PartnersModule, TokenIssuerModule],
      controllers: [LifecycleController],
      providers: [
        { provide: ServingCertificate, useValue: new ServingCertificate(servingCertificate) },
        ConnectivityTester,
        CredentialInventory,
        CredentialExpiryMonitor,
        InstanceHeartbeat,
        TrustStatusService,
      ],
      exports: [CredentialExpiryMonitor, ConnectivityTester],
    };
  }
}
