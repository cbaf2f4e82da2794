/**
 * The contract between s2sctl's hand-written request/response types and the server's OpenAPI
 * document (through the types generated from it, `../generated/admin-api.types.ts`). Type-level
 * only: nothing here runs. `npm run typecheck` fails, naming the field, when
 *
 * - a body s2sctl sends is not assignable to the operation's request schema, or names a field
 *   (at any depth, in any union member) the schema does not have: a renamed optional field would
 *   otherwise still be assignable;
 * - an operation's response schema is not assignable to the type s2sctl reads it as (a field
 *   removed, renamed, retyped or made nullable by the API), or s2sctl reads a field the response
 *   does not have.
 *
 * The API is the reference: fix the CLI type, or, when the server's behaviour is right and only its
 * document is wrong, the server's `@ApiProperty` decorators, then `npm run generate:api-types`.
 */
import type { AdminErrorDto, RequestBodyOf, ResponseOf } from '../generated/admin-api.types.js';
import type { AdminKey, AdminKeyList, CreatedAdminKey } from '../admin-key/admin-key.command.js';
import type { AuditEventPage } from '../audit/audit.command.js';
import type {
  AssignmentBody,
  Certificate,
  CertificateAssignment,
  CertificateList,
  CertificateRequest,
  CompletionBody,
  ImportBody,
  NewKeyBody,
  SelfSignedBody,
} from '../certificate/certificate.dto.js';
import type {
  CertificateRegistrationBody,
  Client,
  ClientChangeBody,
  ClientCreateBody,
  ClientList,
  CreatedClient,
  CreatedClientSecret,
  RoleGrant,
  ScopeGrant,
  SecretCreateBody,
} from '../client/client.dto.js';
import type { OAuthConfiguration, OAuthConfigurationChange } from '../oauth-configuration/oauth-configuration.command.js';
import type { TRUST_LEVELS, TrustLevel } from '../partner-application/partner-application.dto.js';
import type { Resource, ResourceChangeBody, ResourceCreateBody, ResourceList } from '../resource/resource.dto.js';
import type { AdminApiErrorDetail } from './admin-api.client.js';
import type { USER_PARAMETERS } from '../token/token-request.builder.js';
import type { TokenResponse } from '../token/token.dto.js';
import type { TokenValidationBody, TokenValidationResult } from '../token/token-validation.dto.js';
import type { EmergencyRollBody } from '../revocation/emergency-roll.input.js';
import type { NotBeforeMark, TokenRevocation, TokenRevocationBody } from '../revocation/revocation.command.js';

/** The keys of every member of a union (`keyof` of a union only has the common ones). */
type KeysOf<T> = T extends unknown ? keyof T : never;
/** `T[K]` over the union members that have `K`. */
type FieldOf<T, K extends PropertyKey> = T extends unknown ? (K extends keyof T ? T[K] : never) : never;
type ItemOf<T> = T extends readonly (infer Item)[] ? Item : never;

/**
 * Dotted paths of the fields of `Cli` (nested, in every union member) that `Api` does not have.
 * A free-form object in the API (`unknown`, or only an index signature) has every field; an index
 * signature in `Cli` names none.
 */
export type UnknownFields<Api, Cli, Prefix extends string = ''> = unknown extends Api
  ? never
  : Cli extends readonly (infer CliItem)[]
    ? UnknownFields<ItemOf<Api>, CliItem, Prefix>
    : Cli extends object
      ? {
          [K in keyof Cli & string]-?: string extends K
            ? never
            : K extends KeysOf<NonNullable<Api>>
              ? UnknownFields<FieldOf<NonNullable<Api>, K>, NonNullable<Cli[K]>, `${Prefix}${K}.`>
              : `${Prefix}${K}`;
        }[keyof Cli & string]
      : never;

/** Met when `Cli` names no field unknown to `Api`; otherwise requires a member that names them. */
type NoUnknownFields<Api, Cli> = [UnknownFields<Api, Cli>] extends [never] ? unknown : { readonly 'fields the API does not have': UnknownFields<Api, Cli> };

/** Compiles only when s2sctl's `Body` fits the request schema `Api`. */
type Sends<Api, Body extends Api & NoUnknownFields<Api, Body>> = Body;

/** Compiles only when the response schema `Api` fits what s2sctl reads it as, `Read`. */
type Reads<Read, Api extends Read & NoUnknownFields<Api, Read>> = Api;

/** Compiles only when `T` is `true`. */
type IsTrue<T extends true> = T;
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Every body s2sctl sends to the admin API, against the operation it sends it to. */
export type RequestContract = [
  Sends<RequestBodyOf<'AdminApiKeyController_create'>, Pick<CreatedAdminKey, 'name' | 'role'>>,
  Sends<RequestBodyOf<'OAuthConfigurationController_update'>, OAuthConfigurationChange>,
  Sends<RequestBodyOf<'CertificateController_import'>, ImportBody>,
  Sends<RequestBodyOf<'CertificateController_createSelfSigned'>, SelfSignedBody>,
  Sends<RequestBodyOf<'CertificateRequestController_create'>, NewKeyBody>,
  Sends<RequestBodyOf<'CertificateRequestController_complete'>, CompletionBody>,
  Sends<RequestBodyOf<'TokenIssuerAssignmentController_assign'>, AssignmentBody>,
  Sends<RequestBodyOf<'ResourceController_create'>, ResourceCreateBody>,
  Sends<RequestBodyOf<'ResourceController_update'>, ResourceChangeBody>,
  Sends<RequestBodyOf<'ClientController_create'>, ClientCreateBody>,
  Sends<RequestBodyOf<'ClientController_update'>, ClientChangeBody>,
  Sends<RequestBodyOf<'ClientController_addSecret'>, SecretCreateBody>,
  Sends<RequestBodyOf<'ClientController_addCertificate'>, CertificateRegistrationBody>,
  // `client grant-role` / `grant-scope` send the grant's resource and role (scope).
  Sends<RequestBodyOf<'ClientController_grantRole'>, Pick<RoleGrant, 'resource' | 'role'>>,
  Sends<RequestBodyOf<'ClientController_grantScope'>, Pick<ScopeGrant, 'resource' | 'scope'>>,
  Sends<RequestBodyOf<'TokenValidationController_validate'>, TokenValidationBody>,
  Sends<RequestBodyOf<'AdminTokenRevocationController_revoke'>, TokenRevocationBody>,
  Sends<RequestBodyOf<'EmergencyRollController_assign'>, EmergencyRollBody>,
  // `token get` builds a form: every user parameter it may add is a field of the token request.
  Sends<RequestBodyOf<'POST /oauth2/token'>, { readonly grant_type: 'client_credentials' } & Partial<Record<(typeof USER_PARAMETERS)[number], string>>>,
];

/** Every response s2sctl reads, against the operation that answers it. */
export type ResponseContract = [
  Reads<NotBeforeMark, ResponseOf<'NotBeforeController_client'>>,
  Reads<NotBeforeMark, ResponseOf<'NotBeforeController_partner'>>,
  Reads<NotBeforeMark, ResponseOf<'NotBeforeController_oauthServer'>>,
  Reads<TokenRevocation, ResponseOf<'AdminTokenRevocationController_revoke'>>,
  Reads<CertificateAssignment, ResponseOf<'EmergencyRollController_assign'>>,
  Reads<CreatedAdminKey, ResponseOf<'AdminApiKeyController_create'>>,
  Reads<AdminKeyList, ResponseOf<'AdminApiKeyController_list'>>,
  Reads<AdminKey, ResponseOf<'AdminApiKeyController_revoke'>>,
  Reads<AuditEventPage, ResponseOf<'AuditEventController_list'>>,
  Reads<OAuthConfiguration, ResponseOf<'OAuthConfigurationController_get'>>,
  Reads<OAuthConfiguration, ResponseOf<'OAuthConfigurationController_update'>>,
  Reads<CertificateList, ResponseOf<'CertificateController_list'>>,
  Reads<Certificate, ResponseOf<'CertificateController_get'>>,
  Reads<Certificate, ResponseOf<'CertificateController_import'>>,
  Reads<Certificate, ResponseOf<'CertificateController_createSelfSigned'>>,
  Reads<Certificate, ResponseOf<'CertificateController_remove'>>,
  Reads<CertificateRequest, ResponseOf<'CertificateRequestController_create'>>,
  Reads<Certificate, ResponseOf<'CertificateRequestController_complete'>>,
  Reads<CertificateAssignment, ResponseOf<'TokenIssuerAssignmentController_get'>>,
  Reads<CertificateAssignment, ResponseOf<'TokenIssuerAssignmentController_assign'>>,
  Reads<CertificateAssignment, ResponseOf<'TokenIssuerAssignmentController_removePrevious'>>,
  Reads<Resource, ResponseOf<'ResourceController_create'>>,
  Reads<ResourceList, ResponseOf<'ResourceController_list'>>,
  Reads<Resource, ResponseOf<'ResourceController_get'>>,
  Reads<Resource, ResponseOf<'ResourceController_update'>>,
  Reads<Resource, ResponseOf<'ResourceController_remove'>>,
  Reads<CreatedClient, ResponseOf<'ClientController_create'>>,
  Reads<ClientList, ResponseOf<'ClientController_list'>>,
  Reads<Client, ResponseOf<'ClientController_get'>>,
  Reads<Client, ResponseOf<'ClientController_update'>>,
  Reads<Client, ResponseOf<'ClientController_remove'>>,
  Reads<CreatedClientSecret, ResponseOf<'ClientController_addSecret'>>,
  Reads<Client, ResponseOf<'ClientController_removeSecret'>>,
  Reads<Client, ResponseOf<'ClientController_addCertificate'>>,
  Reads<Client, ResponseOf<'ClientController_removeCertificate'>>,
  Reads<Client, ResponseOf<'ClientController_grantRole'>>,
  Reads<Client, ResponseOf<'ClientController_revokeRole'>>,
  Reads<Client, ResponseOf<'ClientController_grantScope'>>,
  Reads<Client, ResponseOf<'ClientController_revokeScope'>>,
  Reads<TokenValidationResult, ResponseOf<'TokenValidationController_validate'>>,
  Reads<TokenResponse, ResponseOf<'POST /oauth2/token'>>,
  // Every admin error (AdminApiClient reads code, message, details and requestId).
  Reads<{ readonly code: string; readonly message: string; readonly details?: readonly AdminApiErrorDetail[]; readonly requestId?: string }, AdminErrorDto>,
  // Partner applications and OAuth servers: s2sctl's types are the generated ones (aliases in
  // partner-application.dto.ts and oauth-server.dto.ts), so there is nothing to compare; it reads
  // every operation's answer as the `get` one, and offers every trust level the API has.
  IsTrue<Equals<(typeof TRUST_LEVELS)[number], TrustLevel>>,
  IsTrue<Equals<ResponseOf<'PartnerApplicationController_create'>, ResponseOf<'PartnerApplicationController_get'>>>,
  IsTrue<Equals<ResponseOf<'PartnerApplicationController_update'>, ResponseOf<'PartnerApplicationController_get'>>>,
  IsTrue<Equals<ResponseOf<'PartnerApplicationController_remove'>, ResponseOf<'PartnerApplicationController_get'>>>,
  IsTrue<Equals<ResponseOf<'PartnerApplicationController_refresh'>, ResponseOf<'PartnerApplicationController_get'>>>,
  IsTrue<Equals<ResponseOf<'OAuthServerController_create'>, ResponseOf<'OAuthServerController_get'>>>,
  IsTrue<Equals<ResponseOf<'OAuthServerController_update'>, ResponseOf<'OAuthServerController_get'>>>,
  IsTrue<Equals<ResponseOf<'OAuthServerController_remove'>, ResponseOf<'OAuthServerController_get'>>>,
  IsTrue<Equals<ResponseOf<'OAuthServerController_refresh'>, ResponseOf<'OAuthServerController_get'>>>,
  IsTrue<Equals<ResponseOf<'PartnerApplicationController_list'>['items'][number], ResponseOf<'PartnerApplicationController_get'>>>,
  IsTrue<Equals<ResponseOf<'OAuthServerController_list'>['items'][number], ResponseOf<'OAuthServerController_get'>>>,
];
