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
export { certificateThumbprints, normalizeThumbprint, x5tFromHex } from './certificate-thumbprint.js';
export type { CertificateThumbprints } from './certificate-thumbprint.js';
export { InvalidThumbprintError } from './invalid-thumbprint.error.js';
export { describeCertificate, privateKeyMatchesCertificate } from './x509-certificate.inspector.js';
export type { CertificateDescription, PublicKeyAlgorithm } from './x509-certificate.inspector.js';
export { generateSecret } from './secret.generator.js';
export { PreparedHmacSha256, sha256Base64Url } from './message-digest.js';
export { timingSafeEqualDigests } from './timing-safe.comparator.js';
export { openWithMasterKey, sealWithMasterKey } from './aes-gcm.sealer.js';
export { SealedDataError } from './sealed-data.error.js';
export { createCertificateSigningRequest } from './certificate-signing-request.builder.js';
export type { CertificateSigningRequestOptions } from './certificate-signing-request.builder.js';
export { parseDistinguishedName } from './distinguished-name.parser.js';
export type { DistinguishedNameAttribute, DistinguishedNameAttributeType } from './distinguished-name.parser.js';
export { readPkcs12 } from './pkcs12.reader.js';
export type { Pkcs12Contents } from './pkcs12.reader.js';
export { Pkcs12Error, type Pkcs12FailureReason } from './pkcs12.error.js';
export { readCertificates, certificateDerBase64, certificatePublicJwk, certificatePublicKey, CertificateFormatError } from './certificate-bundle.reader.js';
export { readPrivateKeyPem, loadPrivateKey, PrivateKeyFormatError } from './private-key.reader.js';
export type { ReadPrivateKey } from './private-key.reader.js';
export { signJws, verifyJws, verifyJwsOffLoop, keyFitsAlgorithm, JWS_ALGORITHMS, type JwsAlgorithm } from './jws-signature.js';
export { deriveKey } from './key-derivation.js';
export { importPublicJwk, publicKeyPem, loadPublicKey, type ImportedJwk } from './jwk.importer.js';
