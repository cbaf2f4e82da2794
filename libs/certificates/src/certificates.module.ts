import { Module } from '@nestjs/common';
import { AuditModule } from '@s2s/audit';
import { OAuthConfigurationModule } from '@s2s/oauth-configuration';
import { CertificateController } from './certificate.controller.js';
import { CertificateRequestController } from './certificate-request.controller.js';
import { CertificateRequestService } from './certificate-request.service.js';
import { CertificateStoreService } from './certificate-store.service.js';
import { PrivateKeyVault } from './private-key.vault.js';
import { TokenIssuerAssignmentController } from './token-issuer-assignment.controller.js';
import { TokenIssuerAssignmentService } from './token-issuer-assignment.service.js';
import { TokenIssuerCertificateMonitor } from './token-issuer-certificate.monitor.js';
import { TokenIssuerKeyRing } from './token-issuer.key-ring.js';
import { EmergencyRollController } from './emergency-roll.controller.js';
import { EmergencyRollService } from './emergency-roll.service.js';
import { TokenIssuerWithdrawals } from './token-issuer.withdrawals.js';

/**
 * The OAuth token-issuer certificate (SPEC 5.2): store, requests, slots, the in-memory key ring
 * other capabilities sign and publish with, and its monitoring.
 */
@Module({
  imports: [AuditModule, OAuthConfigurationModule],
  controllers: [CertificateController, CertificateRequestController, TokenIssuerAssignmentController, EmergencyRollController],
  providers: [
    PrivateKeyVault,
    CertificateStoreService,
    CertificateRequestService,
    TokenIssuerAssignmentService,
    TokenIssuerKeyRing,
    TokenIssuerCertificateMonitor,
    EmergencyRollService,
    TokenIssuerWithdrawals,
  ],
  exports: [TokenIssuerKeyRing, TokenIssuerAssignmentService, CertificateStoreService, CertificateRequestService, TokenIssuerWithdrawals],
})
export class CertificatesModule {}
