export { parseStrictJson, StrictJsonError } from './strict-json.parser.js';
export { StrictValidationPipe } from './strict-validation.pipe.js';
export { AdminErrorFilter, describeError } from './admin-error.filter.js';
export { AdminErrorDto, FieldProblemDto } from './admin-error.dto.js';
export { ApiAdminErrors } from './api-admin-errors.decorator.js';
export { FORM_ENDPOINT_PREFIX } from './form-endpoints.js';
export { BodyTooLargeError, DirectRoutes, mediaTypeOf, readBodyText, requestIdOf, sendJson, type DirectRequestContext, type DirectRoute, type DirectRouteObserver } from './direct-route.js';
