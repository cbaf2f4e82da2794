/**
 * @packageDocumentation
 * The project's single crypto adapter: every operation on keys, certificates,
 * digests and secrets goes through this library (node:crypto + node-forge).
 */
export { generateRsaKeyPair } from './rsa-key.generator.js';
export type { RsaKeyPairPem, RsaModulusLength } from './rsa-key.generator.js';
export { createSelfSignedCertificate } from './x509-certificate.builder.js';
export type {
  CertificateSubject,
  ExtendedKeyUsagePurpose,
  KeyUsageFlag,
  SelfSignedCertificateOptions,
} from './x509-certificate.builder.js';
export { certificateThumbprints, normalizeThumbprint } from './certificate-thumbprint.js';
export type { CertificateThumbprints } from './certificate-thumbprint.js';
export { InvalidThumbprintError } from './invalid-thumbprint.error.js';
export { describeCertificate, privateKeyMatchesCertificate } from './x509-certificate.inspector.js';
export type { CertificateDescription, PublicKeyAlgorithm } from './x509-certificate.inspector.js';
export { generateSecret } from './secret.generator.js';
export { hmacSha256, sha256Base64Url } from './message-digest.js';
export { timingSafeEqualStrings } from './timing-safe.comparator.js';
