import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { ADMIN_ROLES, type AdminApiKey, type AdminRole } from './admin-api-key.js';

/** Body of `POST /admin/v1/admin-keys`. */
export class CreateAdminApiKeyDto {
  @ApiProperty({ description: 'What the key is for (1-100 characters).', example: 'monitoring' })
  @IsString() @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ enum: ADMIN_ROLES, default: 'reader', description: '`admin` can change, `reader` can only read.' })
  @IsOptional() @IsIn(ADMIN_ROLES)
  role?: AdminRole;

  @ApiPropertyOptional({ format: 'date-time', description: 'After this instant the key no longer authenticates (401); absent: no expiry.' })
  @IsOptional() @IsISO8601({ strict: true })
  expiresAt?: string;
}

export class AdminApiKeyIdParamDto {
  @ApiProperty() @IsUUID()
  id!: string;
}

/** An admin key without its secret. */
export class AdminApiKeyDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ADMIN_ROLES }) role!: AdminRole;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'After this instant the key no longer authenticates; null: no expiry.' }) expiresAt!: string | null;

  static from(key: AdminApiKey): AdminApiKeyDto {
    return {
      id: key.id,
      name: key.name,
      role: key.role,
      createdAt: key.createdAt.toISOString(),
      lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
      revokedAt: key.revokedAt?.toISOString() ?? null,
      expiresAt: key.expiresAt?.toISOString() ?? null,
    };
  }
}

/** A created key: the only response that ever contains the secret. */
export class CreatedAdminApiKeyDto extends AdminApiKeyDto {
  @ApiProperty({ description: 'The full key. Shown only once: store it now.' }) key!: string;
}

export class AdminApiKeyListDto {
  @ApiProperty({ type: [AdminApiKeyDto] }) items!: AdminApiKeyDto[];
}
