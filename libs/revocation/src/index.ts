export { RevocationRepository, NOT_BEFORE_SUBJECT_TYPES, type NotBeforeMark, type NotBeforeSubjectType, type RevokedToken } from './revocation.repository.js';
export { REVOCATION_TOPIC } from './revocation.topic.js';
export { RevocationState, REVOCATION_PURGE_INTERVAL_MS, notBeforeSeconds } from './revocation.state.js';
export { TokenStanding, type StandingReason, type StandingRefusal, type TokenSubjectKind } from './token.standing.js';
export { TokenRevocationService, type TokenRevocation } from './token-revocation.service.js';
export { NotBeforeMarkDto } from './not-before.controller.js';
export { RevocationModule } from './revocation.module.js';
