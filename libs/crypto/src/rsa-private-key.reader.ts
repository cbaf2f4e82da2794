import { createPrivateKey, type KeyObject } from 'node:crypto';

/**
 * Parses an unencrypted PEM private key and requires RSA (the certificate and CSR builders sign
 * sha256WithRSAEncryption). The error never echoes the PEM: it is key material.
 */
export function readRsaPrivateKey(privateKeyPem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: privateKeyPem, format: 'pem' });
  } catch (error) {
    throw new TypeError('privateKeyPem is not a readable unencrypted PEM private key', { cause: error });
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new TypeError(`privateKeyPem must be an RSA key (sha256WithRSAEncryption); got ${String(key.asymmetricKeyType)}`);
  }
  return key;
}
