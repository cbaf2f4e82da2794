import type { KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { MasterKey } from '@s2s/config';
import { deriveKey, generateSecret, hmacKey, hmacSha256, timingSafeEqualDigests } from '@s2s/crypto';

/**
 * Client secrets (SPEC 5.4): 256 random bits made here, shown once, stored as HMAC-SHA-256 under
 * a key derived from the master key. A fast keyed hash is enough because the secrets are
 * high-entropy (no dictionary to try), and it keeps the token endpoint fast; without the master
 * key a stolen table cannot even be used to test guesses offline.
 */
@Injectable()
export class ClientSecretHasher {
  private readonly key: KeyObject;

  constructor(masterKey: MasterKey) {
    this.key = hmacKey(deriveKey(masterKey.key, 'client-secret-hash'));
  }

  /** A new secret: 43 base64url characters (256 bits). */
  generate(): string {
    return generateSecret(32);
  }

  hash(secret: string): string {
    return hmacSha256(this.key, secret).toString('base64url');
  }

  /** Constant-time comparison of a presented secret with a stored hash. */
  matches(presented: string, storedHash: string): boolean {
    return timingSafeEqualDigests(this.hash(presented), storedHash);
  }
}
