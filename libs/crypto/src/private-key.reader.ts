import { createPrivateKey, type KeyObject } from 'node:crypto';

/** Thrown when an uploaded private key cannot be read. Never echoes the input. */
export class PrivateKeyFormatError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PrivateKeyFormatError';
  }
}

/** A private key read from an upload, re-encoded as PKCS#8. Secret: never log it. */
export interface ReadPrivateKey {
  /** Unencrypted PKCS#8 PEM (RFC 5208). */
  pkcs8Pem: string;
  /** `rsa`, `rsa-pss`, `ec`, … as node:crypto names it. */
  algorithm: string;
}

/**
 * Reads an unencrypted PEM private key (PKCS#8, PKCS#1 or SEC 1) and re-encodes it as PKCS#8.
 * Encrypted keys are refused with a hint rather than asking for a passphrase on the API.
 *
 * @throws PrivateKeyFormatError when the text is not a readable unencrypted PEM private key.
 */
export function readPrivateKeyPem(pem: string): ReadPrivateKey {
  if (typeof pem !== 'string' || pem.trim() === '') throw new PrivateKeyFormatError('no private key given');
  if (pem.includes('ENCRYPTED')) {
    throw new PrivateKeyFormatError('the private key is encrypted: decrypt it first (openssl pkey -in key.pem -out plain.pem) or import a PFX instead');
  }
  let key: KeyObject;
  try {
    // Indented PEM (pasted from YAML or e-mail) is common; OpenSSL refuses it, so trim every line.
    const text = pem.split(/\r?\n/).map((line) => line.trim()).join('\n').trim();
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch (error) {
    throw new PrivateKeyFormatError('not a readable PEM private key', { cause: new Error((error as Error).message) });
  }
  return { pkcs8Pem: key.export({ type: 'pkcs8', format: 'pem' }).toString(), algorithm: key.asymmetricKeyType ?? 'unknown' };
}

/** Turns a stored PKCS#8 PEM into a non-exportable-by-accident `KeyObject` used for signing. */
export function loadPrivateKey(pkcs8Pem: string | Buffer): KeyObject {
  return createPrivateKey({ key: pkcs8Pem, format: 'pem' });
}
