import { certificatePublicKey, importPublicJwk, publicKeyPem } from '@s2s/crypto';
import { parsePartnerMetadata, PartnerMetadataError } from '@s2s/partners';
import type { OAuthServerKey } from './oauth-server.js';

const DISCOVERY_SUFFIXES = ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'];
const KID = /^[\x21-\x7e]{1,128}$/;
const ALGORITHMS = ['RS256', 'PS256', 'ES256'];

/** What a metadata URL describes. */
export type OAuthServerDescription =
  | { type: 'oidc'; issuer: string; jwksUri: string }
  | { type: 'acs'; issuer: string; keys: OAuthServerKey[] };

/**
 * Reads an authorization server's metadata: OIDC discovery / RFC 8414 (has `jwks_uri`; its `issuer`
 * must equal the URL the document was fetched from minus the well-known suffix, OIDC Discovery 4.3
 * and RFC 8414 3.3, security catalogue E10), or a Microsoft ACS-style JSON metadata document.
 *
 * @throws PartnerMetadataError naming what is wrong.
 */
export function describeOAuthServer(document: unknown, metadataUrl: string): OAuthServerDescription {
  const root = typeof document === 'object' && document !== null && !Array.isArray(document) ? (document as Record<string, unknown>) : null;
  if (!root) throw new PartnerMetadataError('the metadata document is not a JSON object');
  if (typeof root.jwks_uri === 'string') {
    if (typeof root.issuer !== 'string') throw new PartnerMetadataError('the discovery document has no issuer');
    const suffix = DISCOVERY_SUFFIXES.find((candidate) => metadataUrl.endsWith(candidate));
    if (suffix && root.issuer !== metadataUrl.slice(0, -suffix.length)) {
      throw new PartnerMetadataError(`the discovery document's issuer ${root.issuer} does not match the URL it came from`);
    }
    return { type: 'oidc', issuer: root.issuer, jwksUri: root.jwks_uri };
  }
  const metadata = parsePartnerMetadata(document);
  return {
    type: 'acs',
    issuer: metadata.issuer,
    keys: metadata.keys.map((key) => ({ kid: null, x5t: key.x5t, alg: 'RS256', kty: 'RSA', publicKeyPem: publicKeyPem(certificatePublicKey(key.certificatePem)) })),
  };
}

/**
 * Reads a JWKS (RFC 7517 5): acceptable public signing keys only (RSA ≥ 2048/e=65537 or P-256,
 * `use` sig or absent, `alg` RS256/PS256/ES256 or absent); keys whose `kid` appears twice are
 * dropped (ambiguous, security catalogue E13).
 *
 * @throws PartnerMetadataError when no usable key remains.
 */
export function parseJwks(document: unknown): OAuthServerKey[] {
  const keys = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new PartnerMetadataError('the JWKS has no keys array');
  const parsed: OAuthServerKey[] = [];
  for (const entry of keys.slice(0, 50)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const jwk = entry as Record<string, unknown>;
    if (jwk.alg !== undefined && !ALGORITHMS.includes(jwk.alg as string)) continue;
    const kid = typeof jwk.kid === 'string' && KID.test(jwk.kid) ? jwk.kid : null;
    const imported = importPublicJwk(jwk);
    if (!imported) continue;
    parsed.push({ kid, x5t: typeof jwk.x5t === 'string' ? jwk.x5t : null, alg: (jwk.alg as string | undefined) ?? null, kty: imported.kty, publicKeyPem: publicKeyPem(imported.publicKey) });
  }
  const counts = new Map<string, number>();
  for (const key of parsed) if (key.kid) counts.set(key.kid, (counts.get(key.kid) ?? 0) + 1);
  const usable = parsed.filter((key) => !key.kid || counts.get(key.kid) === 1);
  if (usable.length === 0) throw new PartnerMetadataError('the JWKS has no usable signing key');
  return usable;
}
