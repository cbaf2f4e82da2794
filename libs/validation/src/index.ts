export * from './token-validation.js';
export { TokenValidator, MAX_ACTOR_LIFETIME_SECONDS, type ValidateOptions } from './token.validator.js';
export { ValidationChecklist, msNumericDate, numericDate } from './validation.checklist.js';
export { introspectionResponse } from './introspection.response.js';
export { ValidationModule } from './validation.module.js';
export { BearerTokenError } from './bearer-token.error.js';
export { BearerChallenge } from './bearer-challenge.js';
export { BearerTokenFilter } from './bearer-token.filter.js';
export { S2sBearerGuard, S2sProtected, RequireRoles, RequireScopes, S2sToken } from './s2s-bearer.guard.js';
