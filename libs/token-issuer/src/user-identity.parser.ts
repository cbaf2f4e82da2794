import { InvalidRequestError, type TokenRequestParameters } from '@s2s/oauth-wire';
import type { UserIdentity } from './access-token.claims.js';

const USER_PARAMETERS = ['upn', 'smtp', 'sip', 'sid'] as const;
const PRINTABLE = /^[^\s\p{Cc}]{1,256}$/u;
const SID = /^S-1-\d+(-\d+){1,15}$/;

/**
 * The user an act-as client asserts (MS S2S: `upn`, `smtp`, `sip`, `sid`), or null when none is
 * given. Values are single printable words of at most 256 characters; a SID must look like one.
 */
export function parseUserIdentity(parameters: TokenRequestParameters): UserIdentity | null {
  const identity: UserIdentity = {};
  for (const name of USER_PARAMETERS) {
    const value = parameters.get(name);
    if (value === undefined) continue;
    if (!PRINTABLE.test(value) || (name === 'sid' && !SID.test(value))) throw new InvalidRequestError(`the parameter ${name} is malformed`, 'user_parameter_malformed');
    identity[name] = value;
  }
  return Object.keys(identity).length ? identity : null;
}

/** The `sub` of a user token: the first identifier given, in the order upn, smtp, sip, sid. */
export function userSubject(identity: UserIdentity): string {
  return (identity.upn ?? identity.smtp ?? identity.sip ?? identity.sid)!;
}
