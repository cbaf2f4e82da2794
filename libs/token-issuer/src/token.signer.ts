import { Injectable } from '@nestjs/common';
import { coversRealm, type IssuerKey, TokenIssuerKeyRing } from '@s2s/certificates';
import { Clock } from '@s2s/core';
import { type CompactJws, encodeSegment, signCompactJws } from '@s2s/jwt';
import { ServerError, TemporarilyUnavailableError } from '@s2s/oauth-wire';

/**
 * Signs tokens with the current OAuth token-issuer key from memory (no database), RS256 off the
 * event loop. Refuses to sign for a realm the current certificate does not name (SPEC 1): never a
 * token signed for a foreign realm.
 */
@Injectable()
export class TokenSigner {
  /** Encoded JWS headers by key and `typ`; a key that leaves the key ring takes its entries with it. */
  private readonly headers = new WeakMap<IssuerKey, Map<string, string>>();

  constructor(
    private readonly keyRing: TokenIssuerKeyRing,
    private readonly clock: Clock,
  ) {}

  /** @throws TemporarilyUnavailableError (no usable key) or ServerError (realm not named). */
  keyFor(realm: string): IssuerKey {
    const key = this.keyRing.signingKey(this.clock.now());
    if (!key) throw new TemporarilyUnavailableError('no OAuth token-issuer certificate is assigned', 'no_signing_certificate');
    if (!coversRealm(key.dnsNames, realm)) {
      throw new ServerError(`the OAuth token-issuer certificate does not name the realm ${realm}`, 'realm_not_covered');
    }
    return key;
  }

  /** A compact JWS with `kid` = `x5t` and `x5t#S256` of the signing certificate (SPEC 4.1, 4.2). */
  sign(key: IssuerKey, typ: string, payload: object): Promise<CompactJws> {
    return signCompactJws(this.encodedHeader(key, typ), 'RS256', payload, key.privateKey!);
  }

  /** The header is the same for every token of a key and `typ`: encoded once, not per token (SPEC 7). */
  private encodedHeader(key: IssuerKey, typ: string): string {
    let byTyp = this.headers.get(key);
    if (!byTyp) this.headers.set(key, (byTyp = new Map()));
    let encoded = byTyp.get(typ);
    if (encoded === undefined) byTyp.set(typ, (encoded = encodeSegment({ typ, alg: 'RS256', kid: key.x5t, x5t: key.x5t, 'x5t#S256': key.x5tS256 })));
    return encoded;
  }
}
