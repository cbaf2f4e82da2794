import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { Pkcs12Error, type Pkcs12FailureReason } from './pkcs12.error.js';

/** Contents of a PKCS#12 (PFX) file as read by {@link readPkcs12}. */
export interface Pkcs12Contents {
  /** The certificate whose public key matches the private key (PEM). */
  certificatePem: string;
  /** The private key as unencrypted PKCS#8 PEM (RFC 5208). Secret: never log it. */
  privateKeyPem: string;
  /** Every other certificate in the PFX (intermediates / roots), PEM, in file order. */
  chainPems: string[];
}


interface KeyCandidate {
  key: KeyObject;
  localKeyId: string | undefined;
}

/**
 * Reads a password-protected PKCS#12 file (RFC 7292) with node-forge.
 *
 * - The password-integrity MAC (RFC 7292 5.2 / Appendix B) is verified
 *   (node-forge strict mode) before any bag is used.
 * - Shrouded key bags (PKCS#8 EncryptedPrivateKeyInfo, RFC 5208 6) and
 *   encrypted SafeContents are decrypted with the same password; both the
 *   OpenSSL 3 default (PBES2/PBKDF2 + AES-256-CBC, RFC 8018) and the legacy
 *   PKCS#12 PBE (RC2/3DES, RFC 7292 Appendix C) are understood.
 * - The end-entity certificate is the one whose public key matches the
 *   private key; on a tie the one sharing the key bag's `localKeyId`
 *   attribute (PKCS#9, RFC 2985 5.5.2) wins. All other certificates form the chain.
 *
 * @param pfx - the DER-encoded PFX.
 * @param password - the PFX password (never included in error messages).
 * @returns certificate, PKCS#8 private key and chain as PEM.
 * @throws Pkcs12Error with a fixed message: not a PKCS#12 file, wrong password / MAC failure,
 *   corrupted file, unsupported algorithm, no private key, or no certificate matching the key.
 */
export function readPkcs12(pfx: Buffer, password: string): Pkcs12Contents {
  if (!Buffer.isBuffer(pfx)) {
    throw new TypeError('pfx must be a Buffer');
  }
  if (typeof password !== 'string') {
    throw new TypeError('password must be a string');
  }
  const p12 = parsePfx(pfx, password);

  const keys: KeyCandidate[] = [];
  const certificates: { certificate: X509Certificate; localKeyId: string | undefined }[] = [];
  try {
    for (const safeContents of p12.safeContents) {
      for (const bag of safeContents.safeBags) {
        const localKeyId = bag.attributes['localKeyId']?.[0] as string | undefined;
        if (bag.type === forge.pki.oids['keyBag'] || bag.type === forge.pki.oids['pkcs8ShroudedKeyBag']) {
          keys.push({ key: toKeyObject(bag), localKeyId });
        } else if (bag.type === forge.pki.oids['certBag']) {
          certificates.push({ certificate: new X509Certificate(certificateDer(bag)), localKeyId });
        }
      }
    }
  } catch (error) {
    throw new Pkcs12Error('corrupted', { cause: error });
  }

  if (keys.length === 0) {
    throw new Pkcs12Error('no_private_key');
  }
  for (const { key, localKeyId } of keys) {
    const matching = certificates.filter(({ certificate }) => certificate.checkPrivateKey(key));
    if (matching.length === 0) {
      continue;
    }
    const leaf = matching.find((entry) => localKeyId !== undefined && entry.localKeyId === localKeyId) ?? matching[0]!;
    return {
      certificatePem: leaf.certificate.toString(),
      privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
      chainPems: certificates.filter((entry) => entry !== leaf).map(({ certificate }) => certificate.toString()),
    };
  }
  throw new Pkcs12Error('no_matching_certificate');
}

function parsePfx(pfx: Buffer, password: string): forge.pkcs12.Pkcs12Pfx {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(pfx.toString('binary')));
  } catch (error) {
    throw new Pkcs12Error('not_pkcs12', { cause: error });
  }
  try {
    // strict = true: the MAC must be present-and-valid whenever macData is there.
    return forge.pkcs12.pkcs12FromAsn1(asn1, true, password);
  } catch (error) {
    throw new Pkcs12Error(classify(error), { cause: sanitized(error) });
  }
}

/** Maps node-forge's messages (which carry no secrets, but are not a stable API) onto our fixed ones. */
function classify(error: unknown): Pkcs12FailureReason {
  const message = error instanceof Error ? error.message : '';
  if (/ASN\.1 object is not an PKCS#12 PFX/.test(message)) {
    return 'not_pkcs12';
  }
  if (/MAC could not be verified|wrong password|Failed to decrypt/i.test(message)) {
    return 'wrong_password';
  }
  if (/unsupported|unknown/i.test(message)) {
    return 'unsupported';
  }
  return 'corrupted';
}

/** Keeps only the message of a node-forge error (its extra properties may hold decoded file content). */
function sanitized(error: unknown): Error | undefined {
  return error instanceof Error ? new Error(error.message) : undefined;
}

function toKeyObject(bag: forge.pkcs12.Bag): KeyObject {
  if (bag.key) {
    // RSA: node-forge decoded it; re-read through node:crypto (PKCS#1 RSAPrivateKey, RFC 8017 A.1.2).
    const der = forge.asn1.toDer(forge.pki.privateKeyToAsn1(bag.key)).getBytes();
    return createPrivateKey({ key: Buffer.from(der, 'binary'), format: 'der', type: 'pkcs1' });
  }
  if (bag.asn1) {
    // Key types node-forge cannot decode (e.g. EC): the bag holds the PrivateKeyInfo (RFC 5208 5).
    const der = forge.asn1.toDer(bag.asn1).getBytes();
    return createPrivateKey({ key: Buffer.from(der, 'binary'), format: 'der', type: 'pkcs8' });
  }
  throw new Error('key bag without key');
}

function certificateDer(bag: forge.pkcs12.Bag): Buffer {
  const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
  if (!asn1) {
    throw new Error('certificate bag without certificate');
  }
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}
