/**
 * Shapes of the admin API's resources (`/admin/v1/resources`): APIs that accept access tokens from
 * this issuer, named by their Application ID URI, with the app roles clients can be granted and the
 * delegated scopes (SPEC 1, 4.2).
 */

/** Who an app role can be granted to, as in Entra ID's `allowedMemberTypes`. */
export type RoleMemberType = 'Application' | 'User';

/** An app role; becomes the `roles` claim of tokens for clients granted it. */
export interface ResourceRole {
  readonly value: string;
  readonly description: string;
  readonly allowedMemberTypes: readonly RoleMemberType[];
}

/** A delegated scope; becomes the `scp` claim of delegated tokens. */
export interface ResourceScope {
  readonly value: string;
  readonly description: string;
}

/** Body of GET /resources/{idOrAppIdUri} and of every change. */
export interface Resource {
  readonly id: string;
  /** E.g. `api://webapi`; the `aud` of the resource's tokens. */
  readonly appIdUri: string;
  readonly displayName: string;
  readonly roles: readonly ResourceRole[];
  readonly scopes: readonly ResourceScope[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ResourceList {
  readonly items: readonly Resource[];
}

/** A role as sent: the server fills in what is left out. */
export interface RoleInput {
  readonly value: string;
  readonly description?: string;
  readonly allowedMemberTypes?: readonly RoleMemberType[];
}

export interface ScopeInput {
  readonly value: string;
  readonly description?: string;
}

/** POST /resources. */
export interface ResourceCreateBody {
  readonly appIdUri: string;
  readonly displayName?: string;
  readonly roles?: readonly RoleInput[];
  readonly scopes?: readonly ScopeInput[];
}

/** PATCH /resources/{idOrAppIdUri}: a list given replaces the stored one. */
export interface ResourceChangeBody {
  readonly displayName?: string;
  readonly roles?: readonly RoleInput[];
  readonly scopes?: readonly ScopeInput[];
}
