import type { KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { MasterKey } from '@s2s/config';
import { loadPrivateKey, openWithMasterKey, SealedDataError, sealWithMasterKey } from '@s2s/crypto';

/**
 * Seals private keys for storage and opens them for signing: AES-256-GCM under the master key
 * (SPEC 5.2), with the owner of the key as associated data so a sealed key copied onto another
 * row does not open. Opened keys live only as `KeyObject`s in memory.
 */
@Injectable()
export class PrivateKeyVault {
  constructor(private readonly masterKey: MasterKey) {}

  /** Associated data of a certificate's key: its SHA-256 thumbprint. */
  static certificateContext(thumbprintSha256: string): string {
    return `certificate:${thumbprintSha256}`;
  }

  /** Associated data of a pending request's key. */
  static requestContext(requestId: string): string {
    return `certificate-request:${requestId}`;
  }

  seal(pkcs8Pem: string, context: string): string {
    return sealWithMasterKey(Buffer.from(pkcs8Pem, 'utf8'), this.masterKey.key, context);
  }

  /**
   * @throws SealedDataError when the key was sealed under another master key, for another owner,
   *   or was altered.
   */
  open(sealed: string, context: string): KeyObject {
    const pem = openWithMasterKey(sealed, this.masterKey.key, context);
    try {
      return loadPrivateKey(pem);
    } finally {
      pem.fill(0);
    }
  }

  /** The PKCS#8 PEM, for re-sealing under a new context (request → certificate). Never leaves the service. */
  openPem(sealed: string, context: string): string {
    const pem = openWithMasterKey(sealed, this.masterKey.key, context);
    try {
      return pem.toString('utf8');
    } finally {
      pem.fill(0);
    }
  }
}

export { SealedDataError };
