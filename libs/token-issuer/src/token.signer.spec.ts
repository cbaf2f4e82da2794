import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { IssuerKey, TokenIssuerKeyRing } from '@s2s/certificates';
import { FrozenClock } from '@s2s/core';
import jwt from 'jsonwebtoken';
import { TokenSigner } from './token.signer.js';

const spki = (key: KeyObject): string => key.export({ type: 'spki', format: 'pem' }) as string;

/** The fields of an issuer key the signer reads; the rest is not needed to sign. */
function issuerKey(x5t: string): IssuerKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { x5t, x5tS256: `${x5t}-s256`, dnsNames: ['contoso.com'], publicKey, privateKey } as unknown as IssuerKey;
}

describe('TokenSigner.sign', () => {
  const signer = new TokenSigner({} as TokenIssuerKeyRing, new FrozenClock(new Date('2026-12-01T00:00:00Z')));
  let first: IssuerKey;
  let second: IssuerKey;

  beforeAll(() => {
    first = issuerKey('first-key');
    second = issuerKey('second-key');
  });

  it('gives each token the header of its own key and typ, however the calls interleave (headers are encoded once per key and typ)', async () => {
    const calls: [IssuerKey, string][] = [
      [first, 'at+jwt'],
      [first, 'JWT'],
      [second, 'at+jwt'],
      [first, 'at+jwt'],
      [second, 'JWT'],
    ];
    for (const [key, typ] of calls) {
      const token = await signer.sign(key, typ, { aud: 'api://webapi', n: typ });
      const verified = jwt.verify(token, spki(key.publicKey), { algorithms: ['RS256'], complete: true });
      expect(verified.header).toEqual({ typ, alg: 'RS256', kid: key.x5t, x5t: key.x5t, 'x5t#S256': key.x5tS256 });
      expect(verified.payload).toEqual({ aud: 'api://webapi', n: typ });
      // Signed by this key only.
      const other = key === first ? second : first;
      expect(() => jwt.verify(token, spki(other.publicKey), { algorithms: ['RS256'] })).toThrow('invalid signature');
    }
  });
});
