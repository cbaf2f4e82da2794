import { certificatePublicKey, describeCertificate, importPublicJwk, publicKeyPem, readCertificates } from '@s2s/crypto';
import { MetadataDocumentError } from './metadata-document.error.js';
import { parseMicrosoftMetadata } from './microsoft-metadata.parser.js';

/** A signing key of an authorization server, from its JWKS or its ACS metadata. */
export interface PublicSigningKey {
  kid: string | null;
  x5t: string | null;
  /** `alg` the JWK declares, or null. */
  alg: string | null;
  kty: 'RSA' | 'EC';
  /** SPKI PEM. */
  publicKeyPem: string;
  /** End of validity of the key's certificate (ACS metadata, or a JWK's `x5c`); null for a bare JWK. */
  notAfter: Date | null;
}

const DISCOVERY_SUFFIXES = ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'];
const KID = /^[\x21-\x7e]{1,128}$/;
const ALGORITHMS = ['RS256', 'PS256', 'ES256'];

/** What a metadata URL describes. */
export type AuthorizationServerDescription =
  | { type: 'oidc'; issuer: string; jwksUri: string }
  | { type: 'acs'; issuer: string; keys: PublicSigningKey[]; issuanceEndpoint: string | null };

/**
 * Reads an authorization server's metadata: OIDC discovery / RFC 8414 (has `jwks_uri`), or a
 * Microsoft ACS-style JSON metadata document. A discovery document's `issuer` must equal the URL it
 * was fetched from minus the well-known suffix (OIDC Discovery 4.3, RFC 8414 3.3), or be the
 * issuer the operator configured for this server (security catalogue E10: `configuredIssuer`,
 * exactly; Entra's v1 document at `https://login.microsoftonline.com/<tenant>/.well-known/openid-configuration`
 * names `https://sts.windows.net/<tenant>/`, another host).
 *
 * @throws MetadataDocumentError naming what is wrong.
 */
export function describeOAuthServer(document: unknown, metadataUrl: string, configuredIssuer: string | null = null): AuthorizationServerDescription {
  const root = typeof document === 'object' && document !== null && !Array.isArray(document) ? (document as Record<string, unknown>) : null;
  if (!root) throw new MetadataDocumentError('the metadata document is not a JSON object');
  if (typeof root.jwks_uri === 'string') {
    if (typeof root.issuer !== 'string') throw new MetadataDocumentError('the discovery document has no issuer');
    const suffix = DISCOVERY_SUFFIXES.find((candidate) => metadataUrl.endsWith(candidate));
    // A multi-tenant issuer (`…/{tenantid}/v2.0`) names the URL it came from with any tenant segment (`…/common/v2.0`).
    const base = suffix ? metadataUrl.slice(0, -suffix.length) : '';
    const matchesUrl = suffix !== undefined && (root.issuer === base || tenantOfIssuer(root.issuer, base) !== null);
    if (suffix && !matchesUrl && root.issuer !== configuredIssuer) {
      throw new MetadataDocumentError(
        configuredIssuer === null
          ? `the discovery document's issuer ${root.issuer} does not match the URL it came from (give the issuer explicitly if this server's tokens really carry it)`
          : `the discovery document's issuer ${root.issuer} is neither the configured issuer ${configuredIssuer} nor the URL it came from`,
      );
    }
    return { type: 'oidc', issuer: root.issuer, jwksUri: root.jwks_uri };
  }
  const metadata = parseMicrosoftMetadata(document);
  return {
    type: 'acs',
    issuer: metadata.issuer,
    keys: metadata.keys.map((key) => ({ kid: null, x5t: key.x5t, alg: 'RS256', kty: 'RSA', publicKeyPem: publicKeyPem(certificatePublicKey(key.certificatePem)), notAfter: key.notAfter })),
    issuanceEndpoint: metadata.issuanceEndpoint,
  };
}

/** The placeholder a multi-tenant issuer has where each tenant's issuer has its tenant id. */
export const TENANT_PLACEHOLDER = '{tenantid}';

/** Whether `issuer` is a multi-tenant template. */
export function isIssuerTemplate(issuer: string): boolean {
  return issuer.includes(TENANT_PLACEHOLDER);
}

/**
 * The tenant an issuer names under a multi-tenant `template` (`…/<tenant>/v2.0` for
 * `…/{tenantid}/v2.0`): the text in the placeholder's place, one path segment; null when `issuer`
 * does not have the template's shape.
 */
export function tenantOfIssuer(template: string, issuer: string): string | null {
  const at = template.indexOf(TENANT_PLACEHOLDER);
  if (at < 0) return null;
  const prefix = template.slice(0, at);
  const suffix = template.slice(at + TENANT_PLACEHOLDER.length);
  if (issuer.length <= prefix.length + suffix.length || !issuer.startsWith(prefix) || !issuer.endsWith(suffix)) return null;
  const tenant = issuer.slice(prefix.length, issuer.length - suffix.length);
  return /^[A-Za-z0-9._-]{1,128}$/.test(tenant) ? tenant : null;
}

/**
 * Reads a JWKS (RFC 7517 5): acceptable public signing keys only (RSA ≥ 2048/e=65537 or P-256,
 * `use` sig or absent, `alg` RS256/PS256/ES256 or absent); keys whose `kid` appears twice are
 * dropped (ambiguous, security catalogue E13).
 *
 * @throws MetadataDocumentError when no usable key remains.
 */
export function parseJwks(document: unknown): PublicSigningKey[] {
  const keys = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new MetadataDocumentError('the JWKS has no keys array');
  const parsed: PublicSigningKey[] = [];
  for (const entry of keys.slice(0, 50)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const jwk = entry as Record<string, unknown>;
    if (jwk.alg !== undefined && !ALGORITHMS.includes(jwk.alg as string)) continue;
    const kid = typeof jwk.kid === 'string' && KID.test(jwk.kid) ? jwk.kid : null;
    const imported = importPublicJwk(jwk);
    if (!imported) continue;
    parsed.push({ kid, x5t: typeof jwk.x5t === 'string' ? jwk.x5t : null, alg: (jwk.alg as string | undefined) ?? null, kty: imported.kty, publicKeyPem: publicKeyPem(imported.publicKey), notAfter: x5cNotAfter(jwk.x5c) });
  }
  const counts = new Map<string, number>();
  for (const key of parsed) if (key.kid) counts.set(key.kid, (counts.get(key.kid) ?? 0) + 1);
  const usable = parsed.filter((key) => !key.kid || counts.get(key.kid) === 1);
  if (usable.length === 0) throw new MetadataDocumentError('the JWKS has no usable signing key');
  return usable;
}

/** The end of validity of a JWK's first `x5c` certificate, or null when there is none or it cannot be read (it is never trusted, only reported). */
function x5cNotAfter(x5c: unknown): Date | null {
  if (!Array.isArray(x5c) || typeof x5c[0] !== 'string') return null;
  try {
    return describeCertificate(readCertificates(x5c[0])[0]!).notAfter;
  } catch {
    return null;
  }
}
