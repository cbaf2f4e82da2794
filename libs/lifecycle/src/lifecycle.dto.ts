import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CONNECTIVITY_STEPS, type ConnectivityReport } from './connectivity-report.js';
import { CREDENTIAL_KINDS, type ExpiryWarning } from './credential.js';
import type { IssuerStatus, TrustStatus } from './trust-status.service.js';

/** Body of `POST /admin/v1/partner-applications/{identity}/test` (all optional). */
export class PartnerTestDto {
  @ApiPropertyOptional({ example: 'alice@contoso.com', description: 'Also mint an outer token for this user and present it (the trust level must allow users).' })
  @IsOptional() @IsString() @MaxLength(256)
  user?: string;

  @ApiPropertyOptional({ example: 'https://mail.contoso.com/ews/exchange.asmx', description: "Where to present the token; default: the partner's /s2s/whoami when it is an s2s-trust installation." })
  @IsOptional() @IsString() @MaxLength(2048)
  probeUrl?: string;
}

export class ConnectivityStepDto {
  @ApiProperty({ enum: CONNECTIVITY_STEPS }) step!: string;
  @ApiProperty({ enum: ['pass', 'fail', 'skip'] }) status!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Stable reason code of a failed or skipped step.' }) reason!: string | null;
  @ApiProperty() detail!: string;
  @ApiProperty({ nullable: true, type: String, description: 'What to do about it.' }) hint!: string | null;
}

export class ProbeResultDto {
  @ApiProperty() url!: string;
  @ApiProperty() status!: number;
  @ApiProperty({ nullable: true, type: String }) wwwAuthenticate!: string | null;
  @ApiProperty({ nullable: true, type: String }) diagnostics!: string | null;
  @ApiProperty({ description: 'The start of the answer (at most 2 KiB).' }) body!: string;
}

/** The result of a connectivity test: 200 whether it passed or not (`passed`). */
export class ConnectivityReportDto {
  @ApiProperty({ enum: ['partner-application', 'oauth-server'] }) kind!: string;
  @ApiProperty() identity!: string;
  @ApiProperty({ format: 'date-time' }) testedAt!: string;
  @ApiProperty({ description: 'True only when no step failed.' }) passed!: boolean;
  @ApiProperty({ nullable: true, enum: CONNECTIVITY_STEPS, type: String }) failedStep!: string | null;
  @ApiProperty({ type: [ConnectivityStepDto] }) steps!: ConnectivityStepDto[];
  @ApiProperty({ nullable: true, type: Number }) daysToEarliestKeyExpiry!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Partner clock minus ours, seconds (from its HTTP Date).' }) clockDifferenceSeconds!: number | null;
  @ApiProperty({ nullable: true, type: ProbeResultDto }) probe!: ProbeResultDto | null;

  static from(report: ConnectivityReport): ConnectivityReportDto {
    return {
      kind: report.kind,
      identity: report.identity,
      testedAt: report.testedAt.toISOString(),
      passed: report.passed,
      failedStep: report.failedStep,
      steps: report.steps.map((entry) => ({ step: entry.step, status: entry.status, reason: entry.reason, detail: entry.detail, hint: entry.hint })),
      daysToEarliestKeyExpiry: report.daysToEarliestKeyExpiry,
      clockDifferenceSeconds: report.clockDifferenceSeconds,
      probe: report.probe,
    };
  }
}

export class SelfMetadataDto {
  @ApiProperty() url!: string;
  @ApiProperty() ok!: boolean;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty() detail!: string;
}

export class TokenIssuerSlotDto {
  @ApiProperty({ enum: ['current', 'next', 'previous'] }) slot!: string;
  @ApiProperty() thumbprint!: string;
  @ApiProperty({ format: 'date-time' }) notAfter!: string;
  @ApiProperty() daysLeft!: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) effectiveDate!: string | null;
}

export class IssuerStatusDto {
  @ApiProperty() identity!: string;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ enum: ['ok', 'error', 'review'] }) state!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastSuccessAt!: string | null;
  @ApiProperty({ nullable: true, type: Number }) lastGoodFetchAgeSeconds!: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) earliestKeyExpiry!: string | null;
  @ApiProperty() pendingKeys!: number;
  @ApiProperty({ nullable: true, type: String }) problem!: string | null;

  static from(status: IssuerStatus): IssuerStatusDto {
    return {
      identity: status.identity,
      enabled: status.enabled,
      state: status.state,
      lastSuccessAt: status.lastSuccessAt?.toISOString() ?? null,
      lastGoodFetchAgeSeconds: status.lastGoodFetchAgeSeconds,
      earliestKeyExpiry: status.earliestKeyExpiry?.toISOString() ?? null,
      pendingKeys: status.pendingKeys,
      problem: status.problem,
    };
  }
}

export class CredentialWarningDto {
  @ApiProperty({ enum: CREDENTIAL_KINDS }) kind!: string;
  @ApiProperty() id!: string;
  @ApiProperty() thumbprint!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty() daysLeft!: number;
  @ApiProperty({ description: 'The warning tier reached, in days (0 = expired).' }) tier!: number;

  static from(warning: ExpiryWarning): CredentialWarningDto {
    return { kind: warning.kind, id: warning.id, thumbprint: warning.thumbprint, expiresAt: warning.expiresAt.toISOString(), daysLeft: warning.daysLeft, tier: warning.tier };
  }
}

export class DatabaseStatusDto {
  @ApiProperty({ enum: ['postgresql', 'pglite'] }) kind!: string;
  @ApiProperty() reachable!: boolean;
  @ApiProperty({ type: [String] }) pendingMigrations!: string[];
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
}

export class InstanceStatusDto {
  @ApiProperty() instanceId!: string;
  @ApiProperty() hostName!: string;
  @ApiProperty() processId!: number;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ format: 'date-time' }) lastSeenAt!: string;
  @ApiProperty({ description: 'The instance that answered.' }) self!: boolean;
  @ApiProperty({ description: 'Not seen for more than 60 s.' }) stale!: boolean;
}

/** `GET /admin/v1/status`. */
export class TrustStatusDto {
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty({ nullable: true, type: String }) realm!: string | null;
  @ApiProperty() serviceName!: string;
  @ApiProperty() publicUrl!: string;
  @ApiProperty({ type: SelfMetadataDto }) selfMetadata!: SelfMetadataDto;
  @ApiProperty({ type: [TokenIssuerSlotDto] }) tokenIssuer!: TokenIssuerSlotDto[];
  @ApiProperty({ type: [IssuerStatusDto] }) partners!: IssuerStatusDto[];
  @ApiProperty({ type: [IssuerStatusDto] }) oauthServers!: IssuerStatusDto[];
  @ApiProperty({ type: [Number] }) credentialWarningDays!: number[];
  @ApiProperty({ type: [CredentialWarningDto] }) credentialWarnings!: CredentialWarningDto[];
  @ApiProperty({ type: DatabaseStatusDto }) database!: DatabaseStatusDto;
  @ApiProperty({ type: [InstanceStatusDto] }) instances!: InstanceStatusDto[];

  static from(status: TrustStatus): TrustStatusDto {
    return {
      generatedAt: status.generatedAt.toISOString(),
      realm: status.realm,
      serviceName: status.serviceName,
      publicUrl: status.publicUrl,
      selfMetadata: status.selfMetadata,
      tokenIssuer: status.tokenIssuer.map((slot) => ({ slot: slot.slot, thumbprint: slot.thumbprint, notAfter: slot.notAfter.toISOString(), daysLeft: slot.daysLeft, effectiveDate: slot.effectiveDate?.toISOString() ?? null })),
      partners: status.partners.map((partner) => IssuerStatusDto.from(partner)),
      oauthServers: status.oauthServers.map((server) => IssuerStatusDto.from(server)),
      credentialWarningDays: [...status.credentialWarningDays],
      credentialWarnings: status.credentialWarnings.map((warning) => CredentialWarningDto.from(warning)),
      database: status.database,
      instances: status.instances.map((instance) => ({
        instanceId: instance.instanceId,
        hostName: instance.hostName,
        processId: instance.processId,
        startedAt: instance.startedAt.toISOString(),
        lastSeenAt: instance.lastSeenAt.toISOString(),
        self: instance.self,
        stale: instance.stale,
      })),
    };
  }
}
