import { Injectable } from '@nestjs/common';
import { MasterKey } from '@s2s/config';
import { deriveKey, generateSecret, PreparedHmacSha256, timingSafeEqualDigests } from '@s2s/crypto';

/**
 * Client secrets (SPEC 5.4): 256 random bits made here, shown once, stored as HMAC-SHA-256 under
 * a key derived from the master key. A fast keyed hash is enough because the secrets are
 * high-entropy (no dictionary to try), and it keeps the token endpoint fast; without the master
 * key a stolen table cannot even be used to test guesses offline.
 */
@Injectable()
export class ClientSecretHasher {
  private readonly key: PreparedHmacSha256;

  constructor(masterKey: MasterKey) {
    this.key = new PreparedHmacSha256(deriveKey(masterKey.key, 'client-secret-hash'));
  }

  /** A new secret: 43 base64url characters (256 bits). */
  generate(): string {
    return generateSecret(32);
  }

  hash(secret: string): string {
    return this.key.macBase64Url(secret);
  }

  /** Constant-time comparison of a presented secret with a stored hash. */
  matches(presented: string, storedHash: string): boolean {
    return timingSafeEqualDigests(this.hash(presented), storedHash);
  }
}
