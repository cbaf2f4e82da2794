export { buildAccessTokenClaims, type AccessTokenInput, type UserIdentity } from './access-token.claims.js';
export { TokenSigner } from './token.signer.js';
export { TokenTargetResolver, type ResolvedTarget } from './token-target.resolver.js';
export { TokenHttpRoute } from './token.http-route.js';
export { TOKEN_ENDPOINT_OPENAPI } from './token-endpoint.openapi.js';
export { TokenIssuerModule } from './token-issuer.module.js';
export { buildActorTokenClaims, buildOuterTokenClaims, s2sAudience, MAX_ACTOR_TOKEN_SECONDS, type S2sAudience, type ActorTokenInput, type OuterTokenUser } from './s2s-token.claims.js';
export { PartnerTokenMinter, type MintedPartnerTokens, type OuterToken } from './partner-token.minter.js';
