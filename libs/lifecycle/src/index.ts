export { CREDENTIAL_KINDS, type CredentialKind, type ExpiringCredential, type ExpiryWarning, expiryTier } from './credential.js';
export { CredentialInventory } from './credential-inventory.js';
export { CredentialExpiryMonitor } from './credential-expiry.monitor.js';
export { ServingCertificate } from './serving-certificate.js';
export { ConnectivityTester, fetchReason, type PartnerTestOptions } from './connectivity.tester.js';
export { CONNECTIVITY_STEPS, REASON_HINTS, type ConnectivityReport, type ConnectivityStep, type ConnectivityStepName, type ProbeResult } from './connectivity-report.js';
export { InstanceHeartbeat, InstanceHeartbeatRepository, type InstanceRecord, HEARTBEAT_INTERVAL_MS, HEARTBEAT_STALE_MS } from './instance-heartbeat.js';
export { TrustStatusService, type TrustStatus, type IssuerStatus } from './trust-status.service.js';
export { LifecycleModule } from './lifecycle.module.js';
