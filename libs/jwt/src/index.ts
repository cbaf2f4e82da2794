export { parseCompactJwt, MAX_TOKEN_BYTES, type ParsedJwt, type ParseJwtOptions } from './compact-jwt.parser.js';
export { JwtFormatError, type JwtFormatReason } from './jwt-format.error.js';
export { encodeSegment, signCompactJws, signCompactJwt, unsignedCompactJwt, type CompactJws } from './jws.encoder.js';
export { MAX_JSON_DEPTH, parseStrictJson, StrictJsonError, type StrictJsonReason } from './strict-json.parser.js';
export {
  accessTokenPolicy,
  checkJwtClaims,
  checkJwtType,
  JwtClaimError,
  jwtClaimsPolicy,
  jwtTypeAccepted,
  MAX_TOKEN_LIFETIME_SECONDS,
  readNumericDate,
  typMatches,
  type JwtClaimErrorCode,
  type JwtClaimsPolicy,
  type LifetimeStart,
  type NumericDateForm,
} from './jwt-claims.policy.js';
