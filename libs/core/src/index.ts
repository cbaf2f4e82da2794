export { Clock, SystemClock, FrozenClock } from './clock.js';
export { UnitOfWork, type UnitOfWorkOptions } from './unit-of-work.js';
export { ChangeFeed, type ChangeListener } from './change-feed.js';
export {
  DomainError,
  InvalidInputError,
  NotFoundError,
  ConflictError,
  ServiceUnavailableError,
  UnauthenticatedError,
  ForbiddenError,
  MalformedRequestError,
  type FieldProblem,
} from './domain.errors.js';
export { type AdminActor, SYSTEM_ACTOR } from './admin-actor.js';
export { isLowercaseGuid, isLowercaseDnsName, isRealm, realmProblem, hostAuthorityProblem } from './identifiers.js';
export { CoreModule } from './core.module.js';
export { DatabaseProbe, type DatabaseStatus } from './database.probe.js';
export { ReloadSequencer } from './reload.sequencer.js';
export { OnDemandRefresh } from './on-demand.refresh.js';
export { CacheFreshness, cachesTooStale } from './cache-freshness.js';
export { CredentialBackoff, TooManyAttemptsError, type BackoffSubject, type CredentialEndpoint } from './credential-backoff.js';
