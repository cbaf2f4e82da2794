import { X509Certificate, createHash, createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { certificateFromFile, privateKeyFromFile, type InputFile } from '../certificate/certificate.input.js';
import { UsageError } from '../common/cli-errors.js';

/**
 * `private_key_jwt` client authentication (RFC 7523 section 2.2, OpenID Connect Core 9): a JWT the
 * client signs with the key of a certificate registered on it. The server finds the certificate by
 * `x5t`/`kid` and checks `iss` = `sub` = client id, `aud` = its issuer identifier as one string
 * (SPEC 5.9), `exp` − `iat` ≤ 10 minutes and a `jti` it has not seen.
 */

/** Lifetime of an assertion: just long enough for one request, far below the server's 10-minute cap. */
export const ASSERTION_LIFETIME_SECONDS = 120;

/** The certificate and key an assertion is signed with, checked to belong together. */
export interface AssertionSigner {
  /** DER of the certificate registered on the client. */
  readonly certificateDer: Buffer;
  readonly privateKey: KeyObject;
}

/** `x5t`: base64url of the SHA-1 of the DER certificate (RFC 7515 section 4.1.7). */
export function certificateX5t(certificateDer: Buffer): string {
  return createHash('sha1').update(certificateDer).digest('base64url');
}

/**
 * Reads `--cert` (PEM, DER or base64 DER; the first certificate of a PEM file) and `--key` (an
 * unencrypted PEM RSA key) and checks that the key is the certificate's. Messages name the options
 * and paths, never the contents.
 *
 * @throws UsageError for a file that is not what its option needs, or a key of another certificate.
 */
export function loadAssertionSigner(cert: InputFile, key: InputFile): AssertionSigner {
  const { certificate } = certificateFromFile(cert);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(certificate.startsWith('-----BEGIN') ? certificate : Buffer.from(certificate, 'base64'));
  } catch {
    throw new UsageError(`${cert.option} ${cert.path} is not a valid X.509 certificate`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(privateKeyFromFile(key));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // Node's message may describe the key's structure; say only that it could not be read.
    throw new UsageError(`${key.option} ${key.path} could not be read as a private key`);
  }
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new UsageError(`${key.option} ${key.path} is not an RSA key; client assertions are signed with RS256`);
  }
  if (!x509.checkPrivateKey(privateKey)) {
    throw new UsageError(`${key.option} ${key.path} is not the private key of ${cert.option} ${cert.path}`);
  }
  return { certificateDer: x509.raw, privateKey };
}

export interface ClientAssertionInput {
  readonly clientId: string;
  /** The server's issuer identifier from its RFC 8414 metadata: the `aud`, as a single string. */
  readonly audience: string;
  readonly signer: AssertionSigner;
  /** The signing time; a parameter so tests can freeze it. */
  readonly now?: Date;
  /** Unique per assertion (the server refuses a replayed `jti`); random unless given. */
  readonly jti?: string;
}

/**
 * Signs a client assertion with jose: RS256, `typ: JWT`, `x5t` and `kid` both the certificate's
 * SHA-1 thumbprint (base64url), `iss` = `sub` = client id, `aud` = issuer, `iat`, `exp` =
 * `iat` + {@link ASSERTION_LIFETIME_SECONDS}, `jti`.
 */
export async function buildClientAssertion(input: ClientAssertionInput): Promise<string> {
  const x5t = certificateX5t(input.signer.certificateDer);
  const issuedAt = Math.floor((input.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ jti: input.jti ?? randomUUID() })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', x5t, kid: x5t })
    .setIssuer(input.clientId)
    .setSubject(input.clientId)
    .setAudience(input.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ASSERTION_LIFETIME_SECONDS)
    .sign(input.signer.privateKey);
}
