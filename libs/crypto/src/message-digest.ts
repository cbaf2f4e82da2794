import { createHash, hash } from 'node:crypto';

/**
 * SHA-256 (FIPS 180-4) of `data`, base64url-encoded without padding
 * (RFC 4648 5), the encoding JOSE uses (e.g. RFC 7636 S256 code challenges).
 *
 * @param data - a string (hashed as UTF-8) or bytes.
 * @returns 43-character base64url digest.
 */
export function sha256Base64Url(data: string | Buffer): string {
  return hash('sha256', data, 'base64url');
}

/** SHA-256's block size in bytes (RFC 2104's B). */
const BLOCK_BYTES = 64;

/**
 * HMAC-SHA-256 (RFC 2104, FIPS 198-1) under a key prepared once for MACs on a hot path (a client secret checked per token
 * request): RFC 2104's H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)) with the two padded key blocks computed
 * up front and two one-shot digests per MAC. The spec checks it against RFC 4231, OpenSSL's HMAC and
 * `createHmac`, at a fraction of the cost of a `createHmac`
 * object per call inside a busy server (measured in bench/README.md).
 */
export class PreparedHmacSha256 {
  private readonly innerPad: Buffer;
  private readonly outerPad: Buffer;

  constructor(key: Buffer) {
    // RFC 2104 2: a key longer than the block is hashed first; shorter ones are zero-padded.
    const block = Buffer.alloc(BLOCK_BYTES);
    (key.length > BLOCK_BYTES ? createHash('sha256').update(key).digest() : key).copy(block);
    this.innerPad = Buffer.alloc(BLOCK_BYTES);
    this.outerPad = Buffer.alloc(BLOCK_BYTES);
    for (let i = 0; i < BLOCK_BYTES; i++) {
      this.innerPad[i] = block[i]! ^ 0x36;
      this.outerPad[i] = block[i]! ^ 0x5c;
    }
    block.fill(0);
  }

  /** The MAC of `data` (hashed as UTF-8), base64url without padding. */
  macBase64Url(data: string): string {
    const inner = Buffer.allocUnsafe(BLOCK_BYTES + Buffer.byteLength(data, 'utf8'));
    this.innerPad.copy(inner, 0);
    inner.write(data, BLOCK_BYTES, 'utf8');
    const outer = Buffer.allocUnsafe(BLOCK_BYTES + 32);
    this.outerPad.copy(outer, 0);
    outer.set(hash('sha256', inner, 'buffer'), BLOCK_BYTES);
    inner.fill(0); // the padded key and the secret do not linger in a pooled buffer
    return hash('sha256', outer, 'base64url');
  }
}
