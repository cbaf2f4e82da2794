export * from './token-validation.js';
export { TokenValidator, MAX_ACTOR_LIFETIME_SECONDS, type ValidateOptions } from './token.validator.js';
export { ValidationChecklist, msNumericDate, numericDate } from './validation.checklist.js';
export { introspectionResponse } from './introspection.response.js';
export { ValidationModule } from './validation.module.js';
