import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import type { AuditEvent } from './audit-event.js';
import { AUDIT_PAGE_MAX } from './audit-log.service.js';

/** Query string of `GET /admin/v1/audit-events`. */
export class AuditEventQueryDto {
  @ApiPropertyOptional({ description: 'Only events with this action, e.g. `oauth-configuration.update`.' })
  @IsOptional() @IsString() @Length(1, 100)
  action?: string;

  @ApiPropertyOptional({ description: 'Only changes made with this admin key id.' })
  @IsOptional() @IsUUID()
  actorKeyId?: string;

  @ApiPropertyOptional({ description: 'Only events about this kind of object, e.g. `admin-key`.' })
  @IsOptional() @IsString() @Length(1, 100)
  targetType?: string;

  @ApiPropertyOptional({ description: 'Only events about this object.' })
  @IsOptional() @IsString() @Length(1, 200)
  targetId?: string;

  @ApiPropertyOptional({ description: 'Only events at or after this instant (ISO 8601).', type: String, format: 'date-time' })
  @IsOptional() @Type(() => Date) @IsDate()
  since?: Date;

  @ApiPropertyOptional({ description: 'Only events at or before this instant (ISO 8601).', type: String, format: 'date-time' })
  @IsOptional() @Type(() => Date) @IsDate()
  until?: Date;

  @ApiPropertyOptional({ description: `Page size, 1-${AUDIT_PAGE_MAX} (default 50).` })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(AUDIT_PAGE_MAX)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.' })
  @IsOptional() @IsString() @Length(1, 400)
  cursor?: string;
}

/** One audit event on the wire. */
export class AuditEventDto {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ nullable: true, type: String }) actorKeyId!: string | null;
  @ApiProperty() actorName!: string;
  @ApiProperty() action!: string;
  @ApiProperty() targetType!: string;
  @ApiProperty({ nullable: true, type: String }) targetId!: string | null;
  @ApiProperty({ nullable: true, type: Object, description: 'State before the change (never secrets).' }) before!: unknown;
  @ApiProperty({ nullable: true, type: Object, description: 'State after the change (never secrets).' }) after!: unknown;
  @ApiProperty({ nullable: true, type: String }) requestId!: string | null;

  static from(event: AuditEvent): AuditEventDto {
    return {
      id: event.id,
      occurredAt: event.occurredAt.toISOString(),
      actorKeyId: event.actorKeyId,
      actorName: event.actorName,
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId,
      before: event.before ?? null,
      after: event.after ?? null,
      requestId: event.requestId,
    };
  }
}

/** A page of audit events. */
export class AuditEventPageDto {
  @ApiProperty({ type: [AuditEventDto] }) items!: AuditEventDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` to get the next page.' }) nextCursor!: string | null;
}
