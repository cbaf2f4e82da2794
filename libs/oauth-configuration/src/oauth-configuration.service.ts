import { Injectable } from '@nestjs/common';
import { AuditLogService } from '@s2s/audit';
import { type AdminActor, ChangeFeed, Clock, ConflictError, ReloadSequencer, ServiceUnavailableError, SYSTEM_ACTOR, UnitOfWork } from '@s2s/core';
import { IdentityChangeGuard } from './identity-change.guard.js';
import type { OAuthConfiguration, OAuthConfigurationChanges } from './oauth-configuration.js';
import { OAuthConfigurationRepository } from './oauth-configuration.repository.js';
import { initialOAuthConfiguration, validateOAuthConfigurationChanges } from './oauth-configuration.rules.js';

/** Change-feed topic of the configuration. */
const TOPIC = 'oauth-configuration';

/**
 * Reads and changes the OAuth configuration (SPEC 5.1). Every change is validated first, then
 * stored together with its audit event in one unit of work. A copy is kept in memory for the hot
 * paths ({@link cached}), refreshed on every change made here or on another instance.
 */
@Injectable()
export class OAuthConfigurationService {
  private snapshot: OAuthConfiguration | null = null;
  private readonly reloads = new ReloadSequencer();

  constructor(
    private readonly repository: OAuthConfigurationRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly auditLog: AuditLogService,
    private readonly identityChangeGuard: IdentityChangeGuard,
    private readonly clock: Clock,
    private readonly changeFeed: ChangeFeed,
  ) {
    changeFeed.subscribe(TOPIC, () =>
      this.reloads.run(
        () => this.repository.find(),
        (found) => {
          this.snapshot = found ?? this.snapshot;
        },
      ),
    );
  }

  /**
   * The configuration as last loaded, without touching the database (hot paths, and serving while
   * the database is down).
   *
   * @throws ServiceUnavailableError before the first load (the server loads it before it listens).
   */
  cached(): OAuthConfiguration {
    if (!this.snapshot) throw new ServiceUnavailableError('the OAuth configuration has not been loaded yet');
    return this.snapshot;
  }

  /**
   * Creates the configuration on first start (a fresh service name), exactly once even when several
   * instances start together.
   */
  async ensureInitialized(): Promise<OAuthConfiguration> {
    this.snapshot = await this.unitOfWork.run(
      async () => {
        const existing = await this.repository.find();
        if (existing) return existing;
        const initial = initialOAuthConfiguration(this.clock.now());
        await this.repository.insertIfAbsent(initial);
        await this.auditLog.record({
          actor: SYSTEM_ACTOR,
          action: 'oauth-configuration.initialize',
          targetType: 'oauth-configuration',
          targetId: null,
          after: snapshot(initial),
        });
        return initial;
      },
      { exclusiveLock: 'oauth-configuration.initialize' },
    );
    return this.snapshot;
  }

  async get(): Promise<OAuthConfiguration> {
    const configuration = await this.repository.find();
    // Only possible if the row was deleted by hand: the server creates it before it listens.
    if (!configuration) throw new ServiceUnavailableError('the OAuth configuration has not been initialized');
    return configuration;
  }

  /**
   * Applies `changes`. A different service name or realm while certificates or partners depend on
   * the current ones needs `force`.
   */
  async update(requested: OAuthConfigurationChanges, options: { force: boolean }, actor: AdminActor): Promise<OAuthConfiguration> {
    // Absent and undefined mean "leave as is"; only null clears a nullable field.
    const changes = Object.fromEntries(Object.entries(requested).filter(([, value]) => value !== undefined)) as OAuthConfigurationChanges;
    validateOAuthConfigurationChanges(changes);
    return this.unitOfWork.run(async () => {
      const current = await this.get();
      const identityChanged =
        (changes.serviceName !== undefined && changes.serviceName !== current.serviceName) ||
        (changes.realm !== undefined && changes.realm !== current.realm);
      if (identityChanged && !options.force) {
        const blockers = await this.identityChangeGuard.blockers();
        if (blockers.length) {
          throw new ConflictError(
            `changing the service name or realm breaks existing trust (${blockers.join('; ')}); partners must re-register. Repeat with force to do it anyway`,
            'force_required',
          );
        }
      }
      const next: OAuthConfiguration = { ...current, ...changes, updatedAt: this.clock.now() };
      await this.repository.update(next);
      await this.changeFeed.publish(TOPIC);
      this.unitOfWork.afterCommit(() => {
        this.snapshot = next;
      });
      await this.auditLog.record({
        actor,
        action: 'oauth-configuration.update',
        targetType: 'oauth-configuration',
        targetId: null,
        before: snapshot(current),
        after: snapshot(next),
      });
      return next;
    });
  }
}

function snapshot(configuration: OAuthConfiguration): Omit<OAuthConfiguration, 'updatedAt'> {
  const { updatedAt: _updatedAt, ...rest } = configuration;
  return rest;
}
