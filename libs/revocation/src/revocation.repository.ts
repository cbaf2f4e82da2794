/** Whose tokens a not-before mark cuts off. */
export type NotBeforeSubjectType = 'client' | 'partner' | 'oauth-server';
export const NOT_BEFORE_SUBJECT_TYPES: readonly NotBeforeSubjectType[] = ['client', 'partner', 'oauth-server'];

/** Tokens of `subjectType`/`subjectId` issued before `notBefore` are refused (`revoked_by_not_before`). */
export interface NotBeforeMark {
  subjectType: NotBeforeSubjectType;
  subjectId: string;
  notBefore: Date;
}

/** A revoked token id, kept until the token would have expired anyway. */
export interface RevokedToken {
  jti: string;
  expiresAt: Date;
}

/** Storage of revoked token ids and not-before marks (implemented in libs/persistence). */
export abstract class RevocationRepository {
  /** Records `jti` as revoked until `expiresAt`; false when it already was. */
  abstract revoke(jti: string, expiresAt: Date, now: Date): Promise<boolean>;
  /** The revoked ids that have not expired at `now` (bounded by the tokens alive). */
  abstract listRevoked(now: Date): Promise<RevokedToken[]>;
  /** Deletes the ids whose token expired before `now`. */
  abstract purgeExpired(now: Date): Promise<number>;
  /** Sets (or moves forward) the subject's mark. */
  abstract setNotBefore(mark: NotBeforeMark): Promise<void>;
  abstract listNotBefore(): Promise<NotBeforeMark[]>;
}
