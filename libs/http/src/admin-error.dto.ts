import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldProblemDto {
  @ApiProperty({ example: 'realm' }) field!: string;
  @ApiProperty({ example: 'must be lowercase' }) message!: string;
}

/** The body of every error of the admin API and the operational endpoints. */
export class AdminErrorDto {
  @ApiProperty({
    description: 'Stable machine-readable code',
    example: 'validation_failed',
    enum: [
      'bad_request',
      'invalid_json',
      'unauthorized',
      'forbidden',
      'not_found',
      'method_not_allowed',
      'request_timeout',
      'conflict',
      'force_required',
      'payload_too_large',
      'uri_too_long',
      'unsupported_media_type',
      'validation_failed',
      'too_many_requests',
      'request_header_fields_too_large',
      'internal_error',
      'service_unavailable',
    ],
  })
  code!: string;
  @ApiProperty({ description: 'Human-readable explanation' }) message!: string;
  @ApiPropertyOptional({ type: [FieldProblemDto] }) details?: FieldProblemDto[];
  @ApiProperty({ description: 'Correlates with the server log and the audit log' }) requestId!: string;
}
