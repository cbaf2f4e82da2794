export type { StoredCertificate, CertificateRequest, CertificateSource } from './stored-certificate.js';
export { EXPIRY_WARNING_DAYS, daysToExpiry, x5tOf } from './stored-certificate.js';
export {
  type TokenIssuerAssignment,
  type AssignmentSlot,
  type StagedRoll,
  EMPTY_ASSIGNMENT,
  settleAssignment,
  automaticSwitchAt,
  awaitingActivation,
  previousRemovableAt,
  switchTo,
  assignImmediately,
  stageRoll,
  clearPrevious,
  publishedThumbprints,
  slotOf,
} from './token-issuer-assignment.js';
export { CertificateRepository, CertificateRequestRepository, TokenIssuerAssignmentRepository } from './certificate.repository.js';
export { CertificateRejectedError, type CertificateRejection } from './certificate-rejected.error.js';
export { checkCertificateUsable, checkRealmCovered, coversRealm, MIN_RSA_KEY_BITS } from './certificate-acceptance.rules.js';
export { CertificateStoreService, type CertificateView, type CertificateImport, parseThumbprint } from './certificate-store.service.js';
export { CertificateRequestService } from './certificate-request.service.js';
export { TokenIssuerAssignmentDto } from './certificate.dto.js';
export {
  TokenIssuerAssignmentService,
  TOKEN_ISSUER_ASSIGNMENT_TOPIC,
  DEFAULT_ACTIVATION_WAIT_MS,
  type TokenIssuerAssignmentView,
  type AssignmentRequest,
} from './token-issuer-assignment.service.js';
export { TokenIssuerKeyRing, issuerKeyIdOf, type IssuerKey, type IssuerKeySlots } from './token-issuer.key-ring.js';
export { PrivateKeyVault } from './private-key.vault.js';
export { EMERGENCY_NO_CACHE_SECONDS, TokenIssuerWithdrawalRepository, type TokenIssuerWithdrawal } from './token-issuer-withdrawal.js';
export { TokenIssuerWithdrawals } from './token-issuer.withdrawals.js';
export { EmergencyRollService } from './emergency-roll.service.js';
export { CertificatesModule } from './certificates.module.js';
