import { type FieldProblem, InvalidInputError } from '@s2s/core';
import { GRANT_TYPES, type GrantType } from './client.js';
import { type AppRole, type DelegatedScope, MEMBER_TYPES, type MemberType } from './resource.js';

/** App role and scope values: no spaces (they are space-joined in `scp`), no control characters. */
const PERMISSION_VALUE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,119}$/;
/** `scheme:` then no whitespace; `api://name`, `https://host/path` or a URN. */
const ABSOLUTE_URI = /^[a-z][a-z0-9+.-]*:[^\s#]+$/i;

/**
 * An Application ID URI: an absolute URI without fragment (RFC 8707 2: a resource indicator is an
 * absolute URI), not ending in `/.default` (that suffix addresses it in `scope`), at most 512 characters.
 */
export function appIdUriProblem(value: string): string | null {
  if (value.length > 512) return 'must be at most 512 characters';
  if (!ABSOLUTE_URI.test(value)) return 'must be an absolute URI such as api://webapi or https://webapi.contoso.com';
  if (value.endsWith('/.default') || value.endsWith('/')) return 'must not end with "/" or "/.default"';
  return null;
}

export interface RoleInput {
  value: string;
  description?: string;
  allowedMemberTypes?: string[];
}

export interface ScopeInput {
  value: string;
  description?: string;
}

/** Validates and normalises roles (default member type Application); duplicates are refused. */
export function normalizeRoles(roles: readonly RoleInput[], field = 'roles'): AppRole[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  const result = roles.map((role, index) => {
    if (!PERMISSION_VALUE.test(role.value)) problems.push({ field: `${field}[${index}].value`, message: 'must be 1-120 letters, digits, ".", "_", ":" or "-", starting with a letter or digit' });
    if (seen.has(role.value)) problems.push({ field: `${field}[${index}].value`, message: `duplicate role ${role.value}` });
    seen.add(role.value);
    const memberTypes = role.allowedMemberTypes ?? ['Application'];
    if (memberTypes.length === 0 || memberTypes.some((type) => !MEMBER_TYPES.includes(type as MemberType))) {
      problems.push({ field: `${field}[${index}].allowedMemberTypes`, message: 'must be a non-empty list of Application and/or User' });
    }
    return { value: role.value, description: role.description ?? '', allowedMemberTypes: [...new Set(memberTypes)] as MemberType[] };
  });
  if (problems.length) throw new InvalidInputError(`invalid roles: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, problems);
  return result;
}

/** Validates delegated scopes; duplicates are refused. */
export function normalizeScopes(scopes: readonly ScopeInput[], field = 'scopes'): DelegatedScope[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  const result = scopes.map((scope, index) => {
    if (!PERMISSION_VALUE.test(scope.value)) problems.push({ field: `${field}[${index}].value`, message: 'must be 1-120 letters, digits, ".", "_", ":" or "-", starting with a letter or digit' });
    if (scope.value === '.default') problems.push({ field: `${field}[${index}].value`, message: '".default" is reserved' });
    if (seen.has(scope.value)) problems.push({ field: `${field}[${index}].value`, message: `duplicate scope ${scope.value}` });
    seen.add(scope.value);
    return { value: scope.value, description: scope.description ?? '' };
  });
  if (problems.length) throw new InvalidInputError(`invalid scopes: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, problems);
  return result;
}

/** Grant types: known values, at least one, no duplicates. */
export function normalizeGrantTypes(values: readonly string[]): GrantType[] {
  const unknown = values.filter((value) => !GRANT_TYPES.includes(value as GrantType));
  if (unknown.length || values.length === 0) {
    throw InvalidInputError.forField('grantTypes', `must be a non-empty list of ${GRANT_TYPES.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`);
  }
  return [...new Set(values)] as GrantType[];
}
