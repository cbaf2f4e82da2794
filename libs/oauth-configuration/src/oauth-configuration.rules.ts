import { randomUUID } from 'node:crypto';
import { type FieldProblem, hostAuthorityProblem, InvalidInputError, isLowercaseGuid, realmProblem } from '@s2s/core';
import {
  DURATION_SETTINGS,
  AUTO_RENEW_MODES,
  type DurationSetting,
  type OAuthConfiguration,
  type OAuthConfigurationChanges,
} from './oauth-configuration.js';

/** The configuration of a new installation: a fresh service name, no realm yet, default lifetimes. */
export function initialOAuthConfiguration(now: Date): OAuthConfiguration {
  return {
    serviceName: randomUUID(),
    realm: null,
    publicHost: null,
    actorTokenLifetimeSeconds: DURATION_SETTINGS.actorTokenLifetimeSeconds.default,
    outerTokenLifetimeSeconds: DURATION_SETTINGS.outerTokenLifetimeSeconds.default,
    accessTokenLifetimeSeconds: DURATION_SETTINGS.accessTokenLifetimeSeconds.default,
    clockSkewSeconds: DURATION_SETTINGS.clockSkewSeconds.default,
    metadataRefreshIntervalSeconds: DURATION_SETTINGS.metadataRefreshIntervalSeconds.default,
    minimumRollLeadSeconds: DURATION_SETTINGS.minimumRollLeadSeconds.default,
    autoRenew: 'off',
    renewBeforeSeconds: DURATION_SETTINGS.renewBeforeSeconds.default,
    updatedAt: now,
  };
}

/**
 * Checks every field of a change and throws one {@link InvalidInputError} naming all bad fields.
 * `null` is accepted for `realm` and `publicHost` (unset), nowhere else.
 */
export function validateOAuthConfigurationChanges(changes: OAuthConfigurationChanges): void {
  const problems: FieldProblem[] = [];
  if (changes.serviceName !== undefined && !isLowercaseGuid(changes.serviceName ?? '')) {
    problems.push({ field: 'serviceName', message: 'must be a lowercase GUID' });
  }
  if (changes.realm !== undefined && changes.realm !== null) {
    const problem = realmProblem(changes.realm);
    if (problem) problems.push({ field: 'realm', message: problem });
  }
  if (changes.publicHost !== undefined && changes.publicHost !== null) {
    const problem = hostAuthorityProblem(changes.publicHost);
    if (problem) problems.push({ field: 'publicHost', message: problem });
  }
  if (changes.autoRenew !== undefined && !AUTO_RENEW_MODES.includes(changes.autoRenew)) {
    problems.push({ field: 'autoRenew', message: `must be one of ${AUTO_RENEW_MODES.join(', ')}` });
  }
  for (const [field, range] of Object.entries(DURATION_SETTINGS) as [DurationSetting, (typeof DURATION_SETTINGS)[DurationSetting]][]) {
    const value = changes[field];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < range.min || value > range.max) {
      problems.push({ field, message: `must be a whole number of seconds between ${range.min} and ${range.max}` });
    }
  }
  if (problems.length) {
    throw new InvalidInputError(`invalid OAuth configuration: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, problems);
  }
}
