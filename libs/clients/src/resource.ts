/** Who may receive an app role (Entra `allowedMemberTypes`). */
export type MemberType = 'Application' | 'User';

export const MEMBER_TYPES: readonly MemberType[] = ['Application', 'User'];

/** An app role a resource defines (`S2SAppRole`); clients get it only through an admin grant. */
export interface AppRole {
  value: string;
  description: string;
  allowedMemberTypes: MemberType[];
}

/** A delegated permission (`scp`) a resource defines. */
export interface DelegatedScope {
  value: string;
  description: string;
}

/** An API that accepts tokens from this issuer (SPEC 1 "Resource"). */
export interface Resource {
  id: string;
  /** Application ID URI, the `aud` of its tokens, e.g. `api://webapi`. Unique, compared case-insensitively. */
  appIdUri: string;
  displayName: string;
  roles: AppRole[];
  scopes: DelegatedScope[];
  /**
   * The client this API calls downstream APIs as (on-behalf-of): a user token issued for this
   * resource may be exchanged by that client. Null when the API does not call others.
   */
  clientId: string | null;
  createdAt: Date;
  updatedAt: Date;
}
