/**
 * @packageDocumentation
 * HTTPS options for the trust server: configured PEM or PKCS#12 files, or a
 * self-signed localhost certificate for first starts and development.
 */
export { resolveHttpsOptions } from './https-options.resolver.js';
export type { HttpsOptions, PemHttpsOptions, PfxHttpsOptions, ResolveHttpsOptionsInput } from './https-options.resolver.js';
export {
  LOCALHOST_CERT_FILE_NAME,
  LOCALHOST_KEY_FILE_NAME,
  provisionLocalhostCertificate,
} from './localhost-certificate.provisioner.js';
export type { LocalhostCertificate } from './localhost-certificate.provisioner.js';
export { TlsConfigurationError } from './tls-configuration.error.js';
export type { TlsLogger } from './tls-logger.js';
