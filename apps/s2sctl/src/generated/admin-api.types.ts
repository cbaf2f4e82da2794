// Generated from the trust server's OpenAPI document by apps/s2sctl/scripts/generate-api-types.ts.
// Do not edit: regenerate with `npm run generate:api-types` (a test fails while this file differs from the API).

export interface AddClientCertificateDto {
  /** PEM or base64 DER certificate whose key signs private_key_jwt assertions. Multi-line text: tab, line feed and carriage return are allowed here; other control characters are not. */
  readonly certificate: string;
}

export interface AddClientSecretDto {
  /** Multi-line text: tab, line feed and carriage return are allowed here; other control characters are not. */
  readonly description?: string;
  readonly expiresAt?: string;
}

export interface AdminApiKeyDto {
  readonly id: string;
  readonly name: string;
  readonly role: 'admin' | 'reader';
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  /** After this instant the key no longer authenticates; null: no expiry. */
  readonly expiresAt: string | null;
}

export interface AdminApiKeyListDto {
  readonly items: readonly AdminApiKeyDto[];
}

export interface AdminErrorDto {
  /** Stable machine-readable code */
  readonly code: 'bad_request' | 'invalid_json' | 'unauthorized' | 'forbidden' | 'not_found' | 'method_not_allowed' | 'request_timeout' | 'conflict' | 'force_required' | 'payload_too_large' | 'uri_too_long' | 'unsupported_media_type' | 'validation_failed' | 'too_many_requests' | 'request_header_fields_too_large' | 'internal_error' | 'service_unavailable';
  /** Human-readable explanation */
  readonly message: string;
  readonly details?: readonly FieldProblemDto[];
  /** Correlates with the server log and the audit log */
  readonly requestId: string;
}

export interface AppRoleDto {
  readonly value: string;
  /** Multi-line text: tab, line feed and carriage return are allowed here; other control characters are not. */
  readonly description?: string;
  readonly allowedMemberTypes?: readonly ('Application' | 'User')[];
}

export interface AssignTokenIssuerCertificateDto {
  /** SHA-1 (or SHA-256) thumbprint, any case, spaces/colons allowed. */
  readonly thumbprint: string;
  /** Stage as next, to become current at `effectiveDate` (Set-CsCertificate -Roll). */
  readonly roll?: boolean;
  /** ISO-8601 with a time zone; only with `roll`. */
  readonly effectiveDate?: string;
  /** Allow an effective date closer than the minimum roll lead (oauth-configuration minimumRollLeadSeconds); needs `reason`. */
  readonly force?: boolean;
  /** Why the minimum roll lead is overridden (with `force`, 1-500 characters); recorded in the audit log. */
  readonly reason?: string;
  /** Activation gate (with `roll`): at the effective date become current only once every enabled partner has downloaded our metadata since publication; at `deadline` anyway. */
  readonly activateWhenFetched?: boolean;
  /** With `activateWhenFetched`: when the roll activates anyway (default: 7 days after the effective date, at most 1 h before either certificate expires). */
  readonly deadline?: string;
  /** Keep the certificate this change retires in the previous slot until removed by hand (default: removed automatically once every token it signed has expired). */
  readonly keepPrevious?: boolean;
}

export interface AssignedCertificateDto {
  readonly thumbprint: string;
  readonly thumbprintSha256: string;
  readonly x5t: string;
  readonly subject: string;
  readonly dnsNames: readonly string[];
  readonly notBefore: string;
  readonly notAfter: string;
  readonly daysToExpiry: number;
  readonly expiresSoon: boolean;
}

export interface AuditEventDto {
  readonly id: string;
  readonly occurredAt: string;
  readonly actorKeyId: string | null;
  readonly actorName: string;
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string | null;
  /** State before the change (never secrets). */
  readonly before: {
    readonly [key: string]: unknown;
  } | null;
  /** State after the change (never secrets). */
  readonly after: {
    readonly [key: string]: unknown;
  } | null;
  readonly requestId: string | null;
}

export interface AuditEventPageDto {
  readonly items: readonly AuditEventDto[];
  /** Pass as `cursor` to get the next page. */
  readonly nextCursor: string | null;
}

export interface CertificateDto {
  /** SHA-1 thumbprint, uppercase hex (as Windows shows it). */
  readonly thumbprint: string;
  /** SHA-256 thumbprint, uppercase hex. */
  readonly thumbprintSha256: string;
  /** `x5t`: base64url SHA-1 of the DER, as in token headers and metadata. */
  readonly x5t: string;
  readonly subject: string;
  readonly issuer: string;
  /** Serial number, uppercase hex. */
  readonly serialNumber: string;
  readonly dnsNames: readonly string[];
  readonly notBefore: string;
  readonly notAfter: string;
  /** Whole days until expiry (negative once expired). */
  readonly daysToExpiry: number;
  /** True when the certificate is still valid but fewer than 60 days are left (false once expired: see daysToExpiry). */
  readonly expiresSoon: boolean;
  readonly keyAlgorithm: string;
  readonly keySizeBits: number;
  /** Always true: certificates without their private key are refused. */
  readonly hasPrivateKey: boolean;
  readonly source: 'self-signed' | 'pfx' | 'pem' | 'request';
  /** Number of chain certificates stored with it. */
  readonly chainLength: number;
  /** OAuth token-issuer slot. */
  readonly assignment: 'current' | 'next' | 'previous' | null;
  readonly createdAt: string;
  /** The public certificate (PEM); on single-certificate responses. */
  readonly certificatePem?: string;
}

export interface CertificateListDto {
  readonly items: readonly CertificateDto[];
}

export interface CertificateRequestDto {
  readonly id: string;
  readonly status: 'pending' | 'completed';
  readonly subject: string;
  readonly dnsNames: readonly string[];
  readonly keySizeBits: number;
  /** PKCS#10 CSR (PEM) to give to the CA. */
  readonly csr: string;
  readonly createdAt: string;
  readonly completedAt: string | null;
  readonly certificateThumbprint: string | null;
}

export interface CertificateRequestListDto {
  readonly items: readonly CertificateRequestDto[];
}

export interface ClientCertificateDto {
  readonly thumbprint: string;
  readonly thumbprintSha256: string;
  readonly x5t: string;
  readonly subject: string;
  readonly notAfter: string;
}

export interface ClientDto {
  readonly clientId: string;
  readonly displayName: string;
  readonly realm: string;
  readonly enabled: boolean;
  readonly actAsUsers: boolean;
  readonly grantTypes: readonly ('client_credentials' | 'urn:ietf:params:oauth:grant-type:jwt-bearer')[];
  readonly allowTokenEndpointAudience: boolean;
  readonly secrets: readonly ClientSecretDto[];
  readonly certificates: readonly ClientCertificateDto[];
  readonly roleGrants: readonly GrantedRoleDto[];
  readonly scopeGrants: readonly GrantedScopeDto[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ClientListDto {
  readonly items: readonly ClientDto[];
}

export interface ClientSecretDto {
  readonly id: string;
  /** Last characters of the secret. */
  readonly hint: string;
  readonly description: string | null;
  readonly createdAt: string;
  readonly expiresAt: string | null;
}

export interface CompleteCertificateRequestDto {
  /** The CA-issued certificate: PEM or base64 DER (.cer). Multi-line text: tab, line feed and carriage return are allowed here; other control characters are not. */
  readonly certificate: string;
  /** Intermediate/root certificates (PEM). Multi-line text: tab, line feed and carriage return are allowed here; other control characters are not. */
  readonly chain?: string;
}

export interface ConnectivityReportDto {
  readonly kind: 'partner-application' | 'oauth-server';
  readonly identity: string;
  readonly testedAt: string;
  /** True only when no step failed. */
  readonly passed: boolean;
  readonly failedStep: 'dns' | 'tls' | 'download' | 'parse' | 'issuer' | 'keys' | 'clock' | 'actor-token' | 'outer-token' | 'probe' | null;
  readonly steps: readonly ConnectivityStepDto[];
  readonly daysToEarliestKeyExpiry: number | null;
  /** Partner clock minus ours, seconds (from its HTTP Date). */
  readonly clockDifferenceSeconds: number | null;
  readonly probe: ProbeResultDto | null;
}

export interface ConnectivityStepDto {
  readonly step: 'dns' | 'tls' | 'download' | 'parse' | 'issuer' | 'keys' | 'clock' | 'actor-token' | 'outer-token' | 'probe';
  readonly status: 'pass' | 'fail' | 'skip';
  /** Stable reason code of a failed or skipped step. */
  readonly reason: string | null;
  readonly detail: string;
  /** What to do about it. */
  readonly hint: string | null;
}

export interface CreateAdminApiKeyDto {
  /** What the key is for (1-100 characters). */
  readonly name: string;
  /** `admin` can change, `reader` can only read. */
  readonly role?: 'admin' | 'reader';
  /** After this instant the key no longer authenticates (401); absent: no expiry. */
  readonly expiresAt?: string;
}

export interface CreateCertificateRequestDto {
  /** Realms: become SAN DNS names (the first one is the default CN). */
  readonly realms: readonly string[];
  /** Extra SAN DNS names. */
  readonly dnsNames?: readonly string[];
  /** RSA key size in bits. */
  readonly keySize?: 2048 | 3072 | 4096;
  /** Subject DN; default `CN=<first realm>`. */
  readonly subject?: string;
}

export interface CreateClientDto {
  readonly displayName: string;
  /** Realm of its tokens; default: the configured realm. */
  readonly realm?: string;
  readonly enabled?: boolean;
  /** May assert users (upn/smtp/sip/sid). */
  readonly actAsUsers?: boolean;
  readonly grantTypes?: readonly ('client_credentials' | 'urn:ietf:params:oauth:grant-type:jwt-bearer')[];
  /** Legacy: accept the token endpoint URL as client assertion audience. */
  readonly allowTokenEndpointAudience?: boolean;
  /** Create a first secret (returned once). */
  readonly withSecret?: boolean;
  readonly secretExpiresAt?: string;
}

export interface CreateOAuthServerDto {
  readonly identity: string;
  /** ACS-style JSON metadata or OIDC discovery URL. */
  readonly metadataUrl: string;
  /** Accepted `aud` values (ServiceAuthAudience). */
  readonly audiences: readonly string[];
  /** Required `tid` (ServiceAuthTenantId). `null` clears it. */
  readonly tenantId?: string | null;
  /** Allowed calling applications (ServiceApplicationIds). */
  readonly allowedApplicationIds?: readonly string[];
  /** Allowed `oid` values (ServiceObjectIds). */
  readonly allowedObjectIds?: readonly string[];
  /** Required app role (ServiceAuthRole). `null` clears it. */
  readonly requiredRole?: string | null;
  /** For a multi-tenant issuer (issuer with {tenantid}, e.g. https://login.microsoftonline.com/{tenantid}/v2.0): the tenants (tid) whose tokens are accepted. */
  readonly allowedTenants?: readonly string[];
  /** For a multi-tenant issuer: accept tokens of any tenant. Only when you mean it: audited and flagged in status. */
  readonly allowAnyTenant?: boolean;
  /** The issuer its tokens carry, when the discovery document names one other than the URL it is fetched from (Entra v1: https://sts.windows.net/{tenantid}/ from https://login.microsoftonline.com/common/.well-known/openid-configuration). The document must name exactly this issuer. Cannot be changed later. */
  readonly issuer?: string;
  readonly enabled?: boolean;
  /** CA certificates (PEM) trusted for the metadata URL, in addition to the system store. Multi-line text: tab, line feed and carriage return are allowed here; other control characters are not. `null` clears it. */
  readonly metadataCaBundle?: string | null;
  /** Hosts the metadata may come from (default: the URL host). An IP literal also allows that loopback/link-local address. */
  readonly metadataHostAllowList?: readonly string[];
  /** Lab only: accept http:// metadata. */
  readonly allowHttpMetadata?: boolean;
}

export interface CreatePartnerApplicationDto {
  readonly identity: string;
  readonly metadataUrl?: string;
  /** Principal id (GUID), with realm and certificates, when there is no metadata URL. */
  readonly applicationIdentifier?: string;
  readonly realm?: string;
  /** Pinned certificates (PEM or base64 DER). Multi-line text: tab, line feed and carriage return are allowed here; other control characters are not. */
  readonly certificates?: readonly string[];
  /** Host authority for the audience of tokens we send it. `null` clears it. */
  readonly hostAuthority?: string | null;
  readonly trustLevel?: 'Full' | 'Application' | 'User';
  readonly acceptSecurityIdentifierInformation?: boolean;
  /** Addresses the partner downloads our metadata from, besides those its metadata host name resolves to (IPv4/IPv6 literals, at most 16): rollover evidence counts downloads from them. */
  readonly sourceAddresses?: readonly string[];
  /** `review`: keys new in refreshed metadata are held until approve-keys. */
  readonly keyChangePolicy?: 'accept' | 'review';
  /** An OAuth server of type acs whose tokens speak for this partner (New-CsPartnerApplication -UseOAuthServer): give applicationIdentifier, no metadataUrl, realm or certificates. */
  readonly useOAuthServer?: string;
  /** Domains whose users the partner may act for where its realm is a tenant id (Exchange accepted domains): contoso.com, or *.contoso.com for its subdomains. */
  readonly acceptedDomains?: readonly string[];
  readonly enabled?: boolean;
  /** CA certificates (PEM) trusted for the metadata URL, in addition to the system store. Multi-line text: tab, line feed and carriage return are allowed here; other control characters are not. `null` clears it. */
  readonly metadataCaBundle?: string | null;
  /** Hosts the metadata may come from (default: the URL host). An IP literal also allows that loopback/link-local address. */
  readonly metadataHostAllowList?: readonly string[];
  /** Lab only: accept http:// metadata. */
  readonly allowHttpMetadata?: boolean;
}

export interface CreateResourceDto {
  /** Application ID URI: the `aud` of its tokens. */
  readonly appIdUri: string;
  readonly displayName?: string;
  readonly roles?: readonly AppRoleDto[];
  readonly scopes?: readonly DelegatedScopeDto[];
  /** The client this API calls downstream APIs as (on-behalf-of). `null` clears it. */
  readonly clientId?: string | null;
}

export interface CreateSelfSignedCertificateDto {
  /** Realms: become SAN DNS names (the first one is the default CN). */
  readonly realms: readonly string[];
  /** Extra SAN DNS names. */
  readonly dnsNames?: readonly string[];
  /** RSA key size in bits. */
  readonly keySize?: 2048 | 3072 | 4096;
  /** Subject DN; default `CN=<first realm>`. */
  readonly subject?: string;
  /** Validity in days. */
  readonly days?: number;
}

export interface CreatedAdminApiKeyDto {
  readonly id: string;
  readonly name: string;
  readonly role: 'admin' | 'reader';
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  /** After this instant the key no longer authenticates; null: no expiry. */
  readonly expiresAt: string | null;
  /** The full key. Shown only once: store it now. */
  readonly key: string;
}

export interface CreatedClientDto {
  readonly clientId: string;
  readonly displayName: string;
  readonly realm: string;
  readonly enabled: boolean;
  readonly actAsUsers: boolean;
  readonly grantTypes: readonly ('client_credentials' | 'urn:ietf:params:oauth:grant-type:jwt-bearer')[];
  readonly allowTokenEndpointAudience: boolean;
  readonly secrets: readonly ClientSecretDto[];
  readonly certificates: readonly ClientCertificateDto[];
  readonly roleGrants: readonly GrantedRoleDto[];
  readonly scopeGrants: readonly GrantedScopeDto[];
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The first secret. Shown only in this response. */
  readonly clientSecret?: string;
  readonly clientSecretId?: string;
}

export interface CreatedClientSecretDto {
  readonly id: string;
  /** Last characters of the secret. */
  readonly hint: string;
  readonly description: string | null;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  /** The secret. Shown only in this response. */
  readonly clientSecret: string;
}

export interface CredentialWarningDto {
  readonly kind: 'token-issuer-certificate' | 'partner-key' | 'partner-pinned-certificate' | 'oauth-server-key' | 'client-certificate' | 'client-secret' | 'admin-key' | 'https-certificate';
  readonly id: string;
  readonly thumbprint: string;
  readonly expiresAt: string;
  readonly daysLeft: number;
  /** The warning tier reached, in days (0 = expired). */
  readonly tier: number;
}

export interface DatabaseStatusDto {
  readonly kind: 'postgresql' | 'pglite';
  readonly reachable: boolean;
  readonly pendingMigrations: readonly string[];
  readonly error: string | null;
}

export interface DelegatedScopeDto {
  readonly value: string;
  /** Multi-line text: tab, line feed and carriage return are allowed here; other control characters are not. */
  readonly description?: string;
}

export interface EmergencyRollDto {
  /** SHA-1 (or SHA-256) thumbprint of the new certificate, any case, spaces/colons allowed. */
  readonly thumbprint: string;
  /** Why (audited), e.g. "key file leaked in ticket 4711". */
  readonly reason: string;
}

export interface FieldProblemDto {
  readonly field: string;
  readonly message: string;
}

export interface GrantedRoleDto {
  /** Application ID URI of the resource. */
  readonly resource: string;
  readonly resourceId: string;
  readonly role: string;
}

export interface GrantedScopeDto {
  /** Application ID URI of the resource. */
  readonly resource: string;
  readonly resourceId: string;
  readonly scope: string;
}

export interface ImportCertificateDto {
  /** Base64 of a PKCS#12 (.pfx/.p12) file. Give `password` with it. Multi-line text: tab, line feed and carriage return are allowed here; other control characters are not. */
  readonly pfx?: string;
  /** Password of the PFX (may be empty). Never stored, logged or echoed. */
  readonly password?: string;
  /** The certificate: PEM (leaf first; more blocks count as chain) or base64 DER (.cer). Multi-line text: tab, line feed and carriage return are allowed here; other control characters are not. */
  readonly certificate?: string;
  /** Unencrypted PEM private key of the certificate (PKCS#8, PKCS#1 or SEC 1). Multi-line text: tab, line feed and carriage return are allowed here; other control characters are not. */
  readonly privateKey?: string;
  /** Intermediate/root certificates (PEM), published in `x5c` after the certificate. Multi-line text: tab, line feed and carriage return are allowed here; other control characters are not. */
  readonly chain?: string;
}

export interface InstanceStatusDto {
  readonly instanceId: string;
  readonly hostName: string;
  readonly processId: number;
  readonly startedAt: string;
  readonly lastSeenAt: string;
  /** The instance that answered. */
  readonly self: boolean;
  /** Not seen for more than 60 s. */
  readonly stale: boolean;
}

export interface IssuerStatusDto {
  readonly identity: string;
  readonly enabled: boolean;
  readonly state: 'ok' | 'error' | 'review';
  readonly lastSuccessAt: string | null;
  readonly lastGoodFetchAgeSeconds: number | null;
  readonly earliestKeyExpiry: string | null;
  readonly pendingKeys: number;
  readonly problem: string | null;
}

export interface MetadataStatusDto {
  readonly lastAttemptAt: string | null;
  readonly lastSuccessAt: string | null;
  /** Why the last download failed (the last known good keys were kept); null after a success. */
  readonly lastError: string | null;
  /** Set when the document now names another issuer (or realm): not applied until the issuer is re-created. */
  readonly reviewReason: string | null;
}

export interface NotBeforeMarkDto {
  readonly subjectType: 'client' | 'partner' | 'oauth-server';
  /** The client id, partner application or OAuth server identity. */
  readonly subjectId: string;
  /** Tokens issued before this instant (iat, else nbf; whole seconds, rounded up) are refused with reason revoked_by_not_before. */
  readonly notBefore: string;
}

export interface OAuthConfigurationDto {
  /** Principal id of this installation (lowercase GUID). */
  readonly serviceName: string;
  /** Default realm (lowercase DNS name or GUID). */
  readonly realm: string | null;
  /** Host authority partners address us by; null = host of PUBLIC_URL. */
  readonly publicHost: string | null;
  /** Actor token lifetime in seconds (60-86400). */
  readonly actorTokenLifetimeSeconds: number;
  /** Outer token lifetime in seconds (60-3600). */
  readonly outerTokenLifetimeSeconds: number;
  /** RFC 9068 access token lifetime in seconds (60-86400). */
  readonly accessTokenLifetimeSeconds: number;
  /** Allowed clock skew for nbf/exp in seconds (0-900). */
  readonly clockSkewSeconds: number;
  /** Partner metadata refresh interval in seconds (60-604800). */
  readonly metadataRefreshIntervalSeconds: number;
  /** Shortest lead between staging a roll and its effective date, in seconds (0-2592000, default 86400 = 24 h); a shorter one needs force and a reason. */
  readonly minimumRollLeadSeconds: number;
  /** Automatic renewal of the token-issuer certificate: off, self-signed (made here), csr (a request for a CA). */
  readonly autoRenew: 'off' | 'self-signed' | 'csr';
  /** How long before the current certificate expires automatic renewal starts, in seconds (86400-31536000, default 2592000 = 30 days). */
  readonly renewBeforeSeconds: number;
  readonly updatedAt: string;
}

export interface OAuthServerDto {
  readonly identity: string;
  readonly metadataUrl: string;
  readonly type: 'oidc' | 'acs';
  readonly issuer: string;
  readonly jwksUri: string | null;
  /** ACS: the token issuance endpoint from its metadata (trust-broker requests for partners that use this server). */
  readonly issuanceEndpoint: string | null;
  readonly audiences: readonly string[];
  readonly tenantId: string | null;
  readonly allowedApplicationIds: readonly string[];
  readonly allowedObjectIds: readonly string[];
  readonly requiredRole: string | null;
  /** For a multi-tenant issuer (issuer with {tenantid}, e.g. https://login.microsoftonline.com/{tenantid}/v2.0): the tenants (tid) whose tokens are accepted. */
  readonly allowedTenants: readonly string[];
  /** For a multi-tenant issuer: accept tokens of any tenant. Only when you mean it: audited and flagged in status. */
  readonly allowAnyTenant: boolean;
  readonly keys: readonly OAuthServerKeyDto[];
  readonly enabled: boolean;
  readonly hasMetadataCaBundle: boolean;
  readonly metadataHostAllowList: readonly string[];
  readonly allowHttpMetadata: boolean;
  readonly metadataStatus: MetadataStatusDto;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface OAuthServerKeyDto {
  readonly kid: string | null;
  /** base64url SHA-1 thumbprint of the certificate, when the key came with one. */
  readonly x5t: string | null;
  /** `alg` the key declares, if any. */
  readonly alg: string | null;
  readonly kty: 'RSA' | 'EC';
}

export interface OAuthServerListDto {
  readonly items: readonly OAuthServerDto[];
}

export interface PartnerApplicationDto {
  readonly identity: string;
  readonly applicationIdentifier: string;
  readonly realm: string;
  readonly metadataUrl: string | null;
  readonly hostAuthority: string | null;
  readonly trustLevel: 'Full' | 'Application' | 'User';
  readonly acceptSecurityIdentifierInformation: boolean;
  /** Addresses the partner downloads our metadata from, besides those its metadata host name resolves to (IPv4/IPv6 literals, at most 16): rollover evidence counts downloads from them. */
  readonly sourceAddresses: readonly string[];
  readonly keyChangePolicy: 'accept' | 'review';
  /** The OAuth server whose tokens speak for this partner, or null for a direct partner. */
  readonly useOAuthServer: string | null;
  /** Domains whose users the partner may act for where its realm is a tenant id (Exchange accepted domains): contoso.com, or *.contoso.com for its subdomains. */
  readonly acceptedDomains: readonly string[];
  /** Keys held for review (keyChangePolicy review): tokens signed with them are refused with key_pending_review. */
  readonly pendingKeys: readonly PartnerKeyDto[];
  readonly keys: readonly PartnerKeyDto[];
  readonly enabled: boolean;
  readonly hasMetadataCaBundle: boolean;
  readonly metadataHostAllowList: readonly string[];
  readonly allowHttpMetadata: boolean;
  readonly metadataStatus: MetadataStatusDto;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface PartnerApplicationListDto {
  readonly items: readonly PartnerApplicationDto[];
}

export interface PartnerFetchEvidenceDto {
  readonly identity: string;
  /** Addresses counted as the partner’s: its metadata host name resolved now, plus its sourceAddresses. */
  readonly addresses: readonly string[];
  /** Why addresses may be missing (host name did not resolve; none known). */
  readonly addressProblem: string | null;
  /** A download of the metadata, discovery document or JWKS from one of its addresses since publication. */
  readonly fetched: boolean;
  readonly lastFetchAt: string | null;
  /** Downloads counted in the hourly records that have one after publication (the hour of publication may also count earlier ones). */
  readonly downloads: number;
  readonly userAgents: readonly string[];
}

export interface PartnerKeyDto {
  /** base64url SHA-1 thumbprint of the certificate (DER). */
  readonly x5t: string;
  readonly notBefore: string;
  readonly notAfter: string;
}

export interface PartnerTestDto {
  /** Also mint an outer token for this user and present it (the trust level must allow users). */
  readonly user?: string;
  /** Where to present the token; default: the partner's /s2s/whoami when it is an s2s-trust installation. */
  readonly probeUrl?: string;
}

export interface ProbeResultDto {
  readonly url: string;
  readonly status: number;
  readonly wwwAuthenticate: string | null;
  readonly diagnostics: string | null;
  /** The start of the answer (at most 2 KiB). */
  readonly body: string;
}

export interface ResourceDto {
  readonly id: string;
  readonly appIdUri: string;
  readonly displayName: string;
  readonly roles: readonly ResourceRoleDto[];
  readonly scopes: readonly ResourceScopeDto[];
  readonly clientId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ResourceListDto {
  readonly items: readonly ResourceDto[];
}

export interface ResourceRoleDto {
  readonly value: string;
  readonly description: string;
  readonly allowedMemberTypes: readonly ('Application' | 'User')[];
}

export interface ResourceScopeDto {
  readonly value: string;
  readonly description: string;
}

export interface RevokeTokenDto {
  /** One of this service's access tokens (a leading "Bearer " is ignored); kept revoked until its exp. */
  readonly token?: string;
  /** A token id (jti) of this service; kept revoked for 24 h, the longest lifetime a token of ours has. */
  readonly jti?: string;
}

export interface RoleGrantDto {
  /** Application ID URI or id of the resource. */
  readonly resource: string;
  readonly role: string;
}

export interface RolloverEvidenceDto {
  /** When the next key was published; downloads count from here. */
  readonly since: string;
  /** Every enabled partner. */
  readonly partners: readonly PartnerFetchEvidenceDto[];
  readonly unknownFetchers: readonly UnknownFetcherDto[];
  /** Every enabled partner fetched (true when there is none). */
  readonly allPartnersFetched: boolean;
}

export interface ScopeGrantDto {
  /** Application ID URI or id of the resource. */
  readonly resource: string;
  readonly scope: string;
}

export interface SelfMetadataDto {
  readonly url: string;
  readonly ok: boolean;
  readonly reason: string | null;
  readonly detail: string;
}

export interface StagedCertificateDto {
  readonly thumbprint: string;
  readonly thumbprintSha256: string;
  readonly x5t: string;
  readonly subject: string;
  readonly dnsNames: readonly string[];
  readonly notBefore: string;
  readonly notAfter: string;
  readonly daysToExpiry: number;
  readonly expiresSoon: boolean;
  /** When it becomes current. */
  readonly effectiveDate: string;
  /** When it was staged and published in the metadata. */
  readonly publishedAt: string;
  /** Activation gate: current only once every enabled partner fetched the metadata since publication (or at the deadline). */
  readonly activateWhenFetched: boolean;
  /** Gated roll: when it becomes current anyway; null when not gated. */
  readonly deadline: string | null;
  /** The certificate this roll retires stays until removed by hand. */
  readonly keepPrevious: boolean;
}

export interface TokenIssuerAssignmentDto {
  readonly type: 'OAuthTokenIssuer';
  readonly current: AssignedCertificateDto | null;
  readonly next: StagedCertificateDto | null;
  readonly previous: AssignedCertificateDto | null;
  /** When the previous certificate is removed automatically (every token it signed has expired); null when it is not. */
  readonly previousRemovalAt: string | null;
}

export interface TokenIssuerRenewalDto {
  readonly renewsThumbprint: string;
  readonly mode: 'self-signed' | 'csr';
  /** csr mode: the certificate request to complete. */
  readonly requestId: string | null;
  readonly successorThumbprint: string | null;
  readonly startedAt: string;
  readonly stagedAt: string | null;
  readonly state: 'waiting-for-certificate' | 'staged';
}

export interface TokenIssuerRolloverStatusDto {
  readonly slots: TokenIssuerAssignmentDto;
  /** none: nothing staged; staged: a next certificate waits for its effective date; waiting-for-partners: a gated roll is past its effective date and waits (alert). */
  readonly rollState: 'none' | 'staged' | 'waiting-for-partners';
  /** Downloads since the next key was published; null when nothing is staged. */
  readonly evidence: RolloverEvidenceDto | null;
  /** Automatic renewal of the current certificate, once started. */
  readonly renewal: TokenIssuerRenewalDto | null;
}

export interface TokenIssuerSlotDto {
  readonly slot: 'current' | 'next' | 'previous';
  readonly thumbprint: string;
  readonly notAfter: string;
  readonly daysLeft: number;
  readonly effectiveDate: string | null;
}

export interface TokenKeyDto {
  /** The `kid` or `x5t` the token header names (`(none)` when it names neither). */
  readonly id: string;
  readonly found: boolean;
  readonly source: string;
}

export interface TokenRevocationDto {
  readonly jti: string;
  /** Until when it is kept (the token's exp); purged afterwards. */
  readonly expiresAt: string;
  /** False when it was already revoked (nothing changed). */
  readonly revoked: boolean;
}

export interface TokenTrustDto {
  readonly kind: 'self' | 'partner' | 'oauth-server';
  /** This service's issuer, or the identity of the partner application or OAuth server. */
  readonly id: string;
  /** For a partner that uses an OAuth server (ACS / Entra): the identity of the OAuth server that issued its actor token. */
  readonly via?: string;
}

export interface TokenValidationDto {
  readonly valid: boolean;
  readonly reason: string | null;
  readonly message: string | null;
  readonly trust: TokenTrustDto | null;
  readonly appId: string | null;
  readonly roles: readonly string[];
  readonly scopes: readonly string[];
  readonly user: {
    readonly [key: string]: unknown;
  } | null;
  /** Every check, in order, with its result. */
  readonly checks: readonly ValidationCheckDto[];
  readonly key: TokenKeyDto | null;
  readonly issuerMetadataFetchedAt: string | null;
  readonly clockDifferenceSeconds: number | null;
  readonly header: {
    readonly [key: string]: unknown;
  } | null;
  readonly claims: {
    readonly [key: string]: unknown;
  } | null;
}

export interface TrustStatusDto {
  readonly generatedAt: string;
  readonly realm: string | null;
  readonly serviceName: string;
  readonly publicUrl: string;
  readonly selfMetadata: SelfMetadataDto;
  readonly tokenIssuer: readonly TokenIssuerSlotDto[];
  readonly partners: readonly IssuerStatusDto[];
  readonly oauthServers: readonly IssuerStatusDto[];
  readonly credentialWarningDays: readonly number[];
  readonly credentialWarnings: readonly CredentialWarningDto[];
  readonly database: DatabaseStatusDto;
  readonly instances: readonly InstanceStatusDto[];
}

export interface UnknownFetcherDto {
  readonly sourceAddress: string;
  readonly userAgent: string;
  readonly downloads: number;
  readonly documents: readonly ('metadata' | 'discovery' | 'jwks')[];
  readonly firstAt: string;
  readonly lastAt: string;
}

export interface UpdateClientDto {
  readonly displayName?: string;
  readonly realm?: string;
  readonly enabled?: boolean;
  readonly actAsUsers?: boolean;
  readonly grantTypes?: readonly ('client_credentials' | 'urn:ietf:params:oauth:grant-type:jwt-bearer')[];
  readonly allowTokenEndpointAudience?: boolean;
}

export interface UpdateOAuthConfigurationDto {
  readonly serviceName?: string;
  /** `null` clears it. */
  readonly realm?: string | null;
  /** `null` clears it. */
  readonly publicHost?: string | null;
  readonly actorTokenLifetimeSeconds?: number;
  readonly outerTokenLifetimeSeconds?: number;
  readonly accessTokenLifetimeSeconds?: number;
  readonly clockSkewSeconds?: number;
  readonly metadataRefreshIntervalSeconds?: number;
  readonly minimumRollLeadSeconds?: number;
  readonly autoRenew?: 'off' | 'self-signed' | 'csr';
  readonly renewBeforeSeconds?: number;
}

export interface UpdateOAuthServerDto {
  readonly metadataUrl?: string;
  readonly audiences?: readonly string[];
  /** `null` clears it. */
  readonly tenantId?: string | null;
  readonly allowedApplicationIds?: readonly string[];
  readonly allowedObjectIds?: readonly string[];
  /** `null` clears it. */
  readonly requiredRole?: string | null;
  /** For a multi-tenant issuer (issuer with {tenantid}, e.g. https://login.microsoftonline.com/{tenantid}/v2.0): the tenants (tid) whose tokens are accepted. Replaces the list. */
  readonly allowedTenants?: readonly string[];
  /** For a multi-tenant issuer: accept tokens of any tenant. Only when you mean it: audited and flagged in status. */
  readonly allowAnyTenant?: boolean;
  readonly enabled?: boolean;
  /** Multi-line text: tab, line feed and carriage return are allowed here; other control characters are not. `null` clears it. */
  readonly metadataCaBundle?: string | null;
  readonly metadataHostAllowList?: readonly string[];
  readonly allowHttpMetadata?: boolean;
}

export interface UpdatePartnerApplicationDto {
  readonly metadataUrl?: string;
  /** Cannot change (remove and re-create); accepted only when equal. */
  readonly applicationIdentifier?: string;
  /** Cannot change (remove and re-create); accepted only when equal. */
  readonly realm?: string;
  /** Multi-line text: tab, line feed and carriage return are allowed here; other control characters are not. */
  readonly certificates?: readonly string[];
  /** `null` clears it. */
  readonly hostAuthority?: string | null;
  readonly trustLevel?: 'Full' | 'Application' | 'User';
  readonly acceptSecurityIdentifierInformation?: boolean;
  /** Addresses the partner downloads our metadata from, besides those its metadata host name resolves to (IPv4/IPv6 literals, at most 16): rollover evidence counts downloads from them. */
  readonly sourceAddresses?: readonly string[];
  /** Back to `accept` trusts the keys held for review at once. */
  readonly keyChangePolicy?: 'accept' | 'review';
  /** Domains whose users the partner may act for where its realm is a tenant id (Exchange accepted domains): contoso.com, or *.contoso.com for its subdomains. Replaces the list. */
  readonly acceptedDomains?: readonly string[];
  readonly enabled?: boolean;
  /** Multi-line text: tab, line feed and carriage return are allowed here; other control characters are not. `null` clears it. */
  readonly metadataCaBundle?: string | null;
  readonly metadataHostAllowList?: readonly string[];
  readonly allowHttpMetadata?: boolean;
}

export interface UpdateResourceDto {
  readonly displayName?: string;
  readonly roles?: readonly AppRoleDto[];
  readonly scopes?: readonly DelegatedScopeDto[];
  /** `null` clears it. */
  readonly clientId?: string | null;
}

export interface ValidateTokenDto {
  /** The token (a leading "Bearer " is ignored). */
  readonly token: string;
  /** For this service's own tokens: the expected audience. */
  readonly audience?: string;
}

export interface ValidationCheckDto {
  readonly check: string;
  readonly passed: boolean;
  /** What was found, or why the check failed. */
  readonly detail: string | null;
}

/** Every operation of the API: its method, path, request body (`never`: none) and 200/201 response body (`unknown`: not JSON). */
export interface ApiOperations {
  AdminApiKeyController_create: {
    readonly method: 'POST';
    readonly path: '/admin/v1/admin-keys';
    readonly requestBody: CreateAdminApiKeyDto;
    readonly response: CreatedAdminApiKeyDto;
  };
  AdminApiKeyController_list: {
    readonly method: 'GET';
    readonly path: '/admin/v1/admin-keys';
    readonly requestBody: never;
    readonly response: AdminApiKeyListDto;
  };
  AdminApiKeyController_revoke: {
    readonly method: 'DELETE';
    readonly path: '/admin/v1/admin-keys/{id}';
    readonly requestBody: never;
    readonly response: AdminApiKeyDto;
  };
  AdminTokenRevocationController_revoke: {
    readonly method: 'POST';
    readonly path: '/admin/v1/tokens/revoke';
    readonly requestBody: RevokeTokenDto;
    readonly response: TokenRevocationDto;
  };
  AuditEventController_list: {
    readonly method: 'GET';
    readonly path: '/admin/v1/audit-events';
    readonly requestBody: never;
    readonly response: AuditEventPageDto;
  };
  CertificateController_createSelfSigned: {
    readonly method: 'POST';
    readonly path: '/admin/v1/certificates/self-signed';
    readonly requestBody: CreateSelfSignedCertificateDto;
    readonly response: CertificateDto;
  };
  CertificateController_get: {
    readonly method: 'GET';
    readonly path: '/admin/v1/certificates/{thumbprint}';
    readonly requestBody: never;
    readonly response: CertificateDto;
  };
  CertificateController_import: {
    readonly method: 'POST';
    readonly path: '/admin/v1/certificates';
    readonly requestBody: ImportCertificateDto;
    readonly response: CertificateDto;
  };
  CertificateController_list: {
    readonly method: 'GET';
    readonly path: '/admin/v1/certificates';
    readonly requestBody: never;
    readonly response: CertificateListDto;
  };
  CertificateController_remove: {
    readonly method: 'DELETE';
    readonly path: '/admin/v1/certificates/{thumbprint}';
    readonly requestBody: never;
    readonly response: CertificateDto;
  };
  CertificateRequestController_complete: {
    readonly method: 'POST';
    readonly path: '/admin/v1/certificate-requests/{id}/complete';
    readonly requestBody: CompleteCertificateRequestDto;
    readonly response: CertificateDto;
  };
  CertificateRequestController_create: {
    readonly method: 'POST';
    readonly path: '/admin/v1/certificate-requests';
    readonly requestBody: CreateCertificateRequestDto;
    readonly response: CertificateRequestDto;
  };
  CertificateRequestController_get: {
    readonly method: 'GET';
    readonly path: '/admin/v1/certificate-requests/{id}';
    readonly requestBody: never;
    readonly response: CertificateRequestDto;
  };
  CertificateRequestController_list: {
    readonly method: 'GET';
    readonly path: '/admin/v1/certificate-requests';
    readonly requestBody: never;
    readonly response: CertificateRequestListDto;
  };
  CertificateRequestController_remove: {
    readonly method: 'DELETE';
    readonly path: '/admin/v1/certificate-requests/{id}';
    readonly requestBody: never;
    readonly response: CertificateRequestDto;
  };
  ClientController_addCertificate: {
    readonly method: 'POST';
    readonly path: '/admin/v1/clients/{clientId}/certificates';
    readonly requestBody: AddClientCertificateDto;
    readonly response: ClientDto;
  };
  ClientController_addSecret: {
    readonly method: 'POST';
    readonly path: '/admin/v1/clients/{clientId}/secrets';
    readonly requestBody: AddClientSecretDto;
    readonly response: CreatedClientSecretDto;
  };
  ClientController_create: {
    readonly method: 'POST';
    readonly path: '/admin/v1/clients';
    readonly requestBody: CreateClientDto;
    readonly response: CreatedClientDto;
  };
  ClientController_get: {
    readonly method: 'GET';
    readonly path: '/admin/v1/clients/{clientId}';
    readonly requestBody: never;
    readonly response: ClientDto;
  };
  ClientController_grantRole: {
    readonly method: 'POST';
    readonly path: '/admin/v1/clients/{clientId}/role-grants';
    readonly requestBody: RoleGrantDto;
    readonly response: ClientDto;
  };
  ClientController_grantScope: {
    readonly method: 'POST';
    readonly path: '/admin/v1/clients/{clientId}/scope-grants';
    readonly requestBody: ScopeGrantDto;
    readonly response: ClientDto;
  };
  ClientController_list: {
    readonly method: 'GET';
    readonly path: '/admin/v1/clients';
    readonly requestBody: never;
    readonly response: ClientListDto;
  };
  ClientController_remove: {
    readonly method: 'DELETE';
    readonly path: '/admin/v1/clients/{clientId}';
    readonly requestBody: never;
    readonly response: ClientDto;
  };
  ClientController_removeCertificate: {
    readonly method: 'DELETE';
    readonly path: '/admin/v1/clients/{clientId}/certificates/{thumbprint}';
    readonly requestBody: never;
    readonly response: ClientDto;
  };
  ClientController_removeSecret: {
    readonly method: 'DELETE';
    readonly path: '/admin/v1/clients/{clientId}/secrets/{secretId}';
    readonly requestBody: never;
    readonly response: ClientDto;
  };
  ClientController_revokeRole: {
    readonly method: 'DELETE';
    readonly path: '/admin/v1/clients/{clientId}/role-grants';
    readonly requestBody: never;
    readonly response: ClientDto;
  };
  ClientController_revokeScope: {
    readonly method: 'DELETE';
    readonly path: '/admin/v1/clients/{clientId}/scope-grants';
    readonly requestBody: never;
    readonly response: ClientDto;
  };
  ClientController_update: {
    readonly method: 'PATCH';
    readonly path: '/admin/v1/clients/{clientId}';
    readonly requestBody: UpdateClientDto;
    readonly response: ClientDto;
  };
  EmergencyRollController_assign: {
    readonly method: 'POST';
    readonly path: '/admin/v1/certificate-assignments/oauth-token-issuer/emergency';
    readonly requestBody: EmergencyRollDto;
    readonly response: TokenIssuerAssignmentDto;
  };
  HealthController_live: {
    readonly method: 'GET';
    readonly path: '/health/live';
    readonly requestBody: never;
    readonly response: {
      readonly status?: 'ok' | 'degraded';
      readonly info?: {
        readonly [key: string]: {
          readonly status: 'up' | 'degraded' | 'down';
          /** Time the health indicator took to respond, in ms */
          readonly responseTime?: number;
          readonly [key: string]: unknown;
        };
      } | null;
      readonly error?: {
        readonly [key: string]: {
          readonly status: 'up' | 'degraded' | 'down';
          /** Time the health indicator took to respond, in ms */
          readonly responseTime?: number;
          readonly [key: string]: unknown;
        };
      } | null;
      readonly details?: {
        readonly [key: string]: {
          readonly status: 'up' | 'degraded' | 'down';
          /** Time the health indicator took to respond, in ms */
          readonly responseTime?: number;
          readonly [key: string]: unknown;
        };
      };
    };
  };
  HealthController_ready: {
    readonly method: 'GET';
    readonly path: '/health/ready';
    readonly requestBody: never;
    readonly response: {
      readonly status?: 'ok' | 'degraded';
      readonly info?: {
        readonly [key: string]: {
          readonly status: 'up' | 'degraded' | 'down';
          /** Time the health indicator took to respond, in ms */
          readonly responseTime?: number;
          readonly [key: string]: unknown;
        };
      } | null;
      readonly error?: {
        readonly [key: string]: {
          readonly status: 'up' | 'degraded' | 'down';
          /** Time the health indicator took to respond, in ms */
          readonly responseTime?: number;
          readonly [key: string]: unknown;
        };
      } | null;
      readonly details?: {
        readonly [key: string]: {
          readonly status: 'up' | 'degraded' | 'down';
          /** Time the health indicator took to respond, in ms */
          readonly responseTime?: number;
          readonly [key: string]: unknown;
        };
      };
    };
  };
  LifecycleController_status: {
    readonly method: 'GET';
    readonly path: '/admin/v1/status';
    readonly requestBody: never;
    readonly response: TrustStatusDto;
  };
  LifecycleController_testOAuthServer: {
    readonly method: 'POST';
    readonly path: '/admin/v1/oauth-servers/{identity}/test';
    readonly requestBody: never;
    readonly response: ConnectivityReportDto;
  };
  LifecycleController_testPartner: {
    readonly method: 'POST';
    readonly path: '/admin/v1/partner-applications/{identity}/test';
    readonly requestBody: PartnerTestDto;
    readonly response: ConnectivityReportDto;
  };
  MetadataController_authorizationServerMetadata: {
    readonly method: 'GET';
    readonly path: '/.well-known/oauth-authorization-server';
    readonly requestBody: never;
    readonly response: unknown;
  };
  MetadataController_jwks: {
    readonly method: 'GET';
    readonly path: '/.well-known/jwks.json';
    readonly requestBody: never;
    readonly response: unknown;
  };
  MetadataController_metadata: {
    readonly method: 'GET';
    readonly path: '/metadata/json/1';
    readonly requestBody: never;
    readonly response: unknown;
  };
  MetadataController_openIdConfiguration: {
    readonly method: 'GET';
    readonly path: '/.well-known/openid-configuration';
    readonly requestBody: never;
    readonly response: unknown;
  };
  NotBeforeController_client: {
    readonly method: 'POST';
    readonly path: '/admin/v1/clients/{clientId}/revoke-tokens';
    readonly requestBody: never;
    readonly response: NotBeforeMarkDto;
  };
  NotBeforeController_oauthServer: {
    readonly method: 'POST';
    readonly path: '/admin/v1/oauth-servers/{identity}/revoke-tokens';
    readonly requestBody: never;
    readonly response: NotBeforeMarkDto;
  };
  NotBeforeController_partner: {
    readonly method: 'POST';
    readonly path: '/admin/v1/partner-applications/{identity}/revoke-tokens';
    readonly requestBody: never;
    readonly response: NotBeforeMarkDto;
  };
  OAuthConfigurationController_get: {
    readonly method: 'GET';
    readonly path: '/admin/v1/oauth-configuration';
    readonly requestBody: never;
    readonly response: OAuthConfigurationDto;
  };
  OAuthConfigurationController_update: {
    readonly method: 'PUT';
    readonly path: '/admin/v1/oauth-configuration';
    readonly requestBody: UpdateOAuthConfigurationDto;
    readonly response: OAuthConfigurationDto;
  };
  OAuthServerController_create: {
    readonly method: 'POST';
    readonly path: '/admin/v1/oauth-servers';
    readonly requestBody: CreateOAuthServerDto;
    readonly response: OAuthServerDto;
  };
  OAuthServerController_get: {
    readonly method: 'GET';
    readonly path: '/admin/v1/oauth-servers/{identity}';
    readonly requestBody: never;
    readonly response: OAuthServerDto;
  };
  OAuthServerController_list: {
    readonly method: 'GET';
    readonly path: '/admin/v1/oauth-servers';
    readonly requestBody: never;
    readonly response: OAuthServerListDto;
  };
  OAuthServerController_refresh: {
    readonly method: 'POST';
    readonly path: '/admin/v1/oauth-servers/{identity}/refresh';
    readonly requestBody: never;
    readonly response: OAuthServerDto;
  };
  OAuthServerController_remove: {
    readonly method: 'DELETE';
    readonly path: '/admin/v1/oauth-servers/{identity}';
    readonly requestBody: never;
    readonly response: OAuthServerDto;
  };
  OAuthServerController_update: {
    readonly method: 'PATCH';
    readonly path: '/admin/v1/oauth-servers/{identity}';
    readonly requestBody: UpdateOAuthServerDto;
    readonly response: OAuthServerDto;
  };
  'POST /oauth2/introspect': {
    readonly method: 'POST';
    readonly path: '/oauth2/introspect';
    readonly requestBody: never;
    readonly response: unknown;
  };
  'POST /oauth2/revoke': {
    readonly method: 'POST';
    readonly path: '/oauth2/revoke';
    readonly requestBody: never;
    readonly response: unknown;
  };
  'POST /oauth2/token': {
    readonly method: 'POST';
    readonly path: '/oauth2/token';
    readonly requestBody: {
      readonly grant_type: 'client_credentials' | 'urn:ietf:params:oauth:grant-type:jwt-bearer';
      /** RFC 8707 target: an Application ID URI, or a partner application */
      readonly resource?: string;
      /** <App ID URI>/.default (client credentials) or delegated scopes (on-behalf-of) */
      readonly scope?: string;
      /** client_secret_post / private_key_jwt */
      readonly client_id?: string;
      /** client_secret_post */
      readonly client_secret?: string;
      /** urn:ietf:params:oauth:client-assertion-type:jwt-bearer */
      readonly client_assertion_type?: string;
      /** private_key_jwt assertion (RFC 7523) */
      readonly client_assertion?: string;
      /** on-behalf-of: a user token issued by this service to the calling client */
      readonly assertion?: string;
      /** on_behalf_of */
      readonly requested_token_use?: string;
      /** act-as clients: the user, by UPN */
      readonly upn?: string;
      /** act-as clients: the user, by SMTP address */
      readonly smtp?: string;
      /** act-as clients: the user, by SIP address */
      readonly sip?: string;
      /** act-as clients: the user, by Windows SID */
      readonly sid?: string;
    };
    readonly response: {
      readonly access_token: string;
      readonly token_type: 'Bearer';
      readonly expires_in: number;
      readonly scope?: string;
    };
  };
  PartnerApplicationController_approveKeys: {
    readonly method: 'POST';
    readonly path: '/admin/v1/partner-applications/{identity}/approve-keys';
    readonly requestBody: never;
    readonly response: PartnerApplicationDto;
  };
  PartnerApplicationController_create: {
    readonly method: 'POST';
    readonly path: '/admin/v1/partner-applications';
    readonly requestBody: CreatePartnerApplicationDto;
    readonly response: PartnerApplicationDto;
  };
  PartnerApplicationController_get: {
    readonly method: 'GET';
    readonly path: '/admin/v1/partner-applications/{identity}';
    readonly requestBody: never;
    readonly response: PartnerApplicationDto;
  };
  PartnerApplicationController_list: {
    readonly method: 'GET';
    readonly path: '/admin/v1/partner-applications';
    readonly requestBody: never;
    readonly response: PartnerApplicationListDto;
  };
  PartnerApplicationController_refresh: {
    readonly method: 'POST';
    readonly path: '/admin/v1/partner-applications/{identity}/refresh';
    readonly requestBody: never;
    readonly response: PartnerApplicationDto;
  };
  PartnerApplicationController_remove: {
    readonly method: 'DELETE';
    readonly path: '/admin/v1/partner-applications/{identity}';
    readonly requestBody: never;
    readonly response: PartnerApplicationDto;
  };
  PartnerApplicationController_update: {
    readonly method: 'PATCH';
    readonly path: '/admin/v1/partner-applications/{identity}';
    readonly requestBody: UpdatePartnerApplicationDto;
    readonly response: PartnerApplicationDto;
  };
  ResourceController_create: {
    readonly method: 'POST';
    readonly path: '/admin/v1/resources';
    readonly requestBody: CreateResourceDto;
    readonly response: ResourceDto;
  };
  ResourceController_get: {
    readonly method: 'GET';
    readonly path: '/admin/v1/resources/{resource}';
    readonly requestBody: never;
    readonly response: ResourceDto;
  };
  ResourceController_list: {
    readonly method: 'GET';
    readonly path: '/admin/v1/resources';
    readonly requestBody: never;
    readonly response: ResourceListDto;
  };
  ResourceController_remove: {
    readonly method: 'DELETE';
    readonly path: '/admin/v1/resources/{resource}';
    readonly requestBody: never;
    readonly response: ResourceDto;
  };
  ResourceController_update: {
    readonly method: 'PATCH';
    readonly path: '/admin/v1/resources/{resource}';
    readonly requestBody: UpdateResourceDto;
    readonly response: ResourceDto;
  };
  TokenIssuerAssignmentController_assign: {
    readonly method: 'PUT';
    readonly path: '/admin/v1/certificate-assignments/oauth-token-issuer';
    readonly requestBody: AssignTokenIssuerCertificateDto;
    readonly response: TokenIssuerAssignmentDto;
  };
  TokenIssuerAssignmentController_get: {
    readonly method: 'GET';
    readonly path: '/admin/v1/certificate-assignments/oauth-token-issuer';
    readonly requestBody: never;
    readonly response: TokenIssuerAssignmentDto;
  };
  TokenIssuerAssignmentController_removePrevious: {
    readonly method: 'DELETE';
    readonly path: '/admin/v1/certificate-assignments/oauth-token-issuer/previous';
    readonly requestBody: never;
    readonly response: TokenIssuerAssignmentDto;
  };
  TokenIssuerRolloverController_status: {
    readonly method: 'GET';
    readonly path: '/admin/v1/certificate-assignments/oauth-token-issuer/status';
    readonly requestBody: never;
    readonly response: TokenIssuerRolloverStatusDto;
  };
  TokenValidationController_validate: {
    readonly method: 'POST';
    readonly path: '/admin/v1/tokens/validate';
    readonly requestBody: ValidateTokenDto;
    readonly response: TokenValidationDto;
  };
  WhoAmIController_whoami: {
    readonly method: 'GET';
    readonly path: '/s2s/whoami';
    readonly requestBody: never;
    readonly response: unknown;
  };
}

/** The request body of an operation. */
export type RequestBodyOf<K extends keyof ApiOperations> = ApiOperations[K]['requestBody'];

/** The 200/201 response body of an operation. */
export type ResponseOf<K extends keyof ApiOperations> = ApiOperations[K]['response'];
