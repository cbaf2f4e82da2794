/** Change-feed topic of revoked tokens and not-before marks. */
export const REVOCATION_TOPIC = 'token-revocation';
