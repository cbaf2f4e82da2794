import { Injectable } from '@nestjs/common';
import { coversRealm, type IssuerKey, TokenIssuerKeyRing } from '@s2s/certificates';
import { Clock } from '@s2s/core';
import { signCompactJwt } from '@s2s/jwt';
import { ServerError, TemporarilyUnavailableError } from './oauth.errors.js';

/**
 * Signs tokens with the current OAuth token-issuer key from memory (no database), RS256 off the
 * event loop. Refuses to sign for a realm the current certificate does not name (SPEC 1): never a
 * token signed for a foreign realm.
 */
@Injectable()
export class TokenSigner {
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
  sign(key: IssuerKey, typ: string, payload: object): Promise<string> {
    return signCompactJwt({ typ, alg: 'RS256', kid: key.x5t, x5t: key.x5t, 'x5t#S256': key.x5tS256 }, payload, key.privateKey!);
  }
}
