import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsBoolean, IsOptional } from 'class-validator';
import { RawJson } from '../../common/http/validation.pipe';
import {
  OptionalEvaluatedAt,
  OptionalPolicyId,
  OptionalPolicyVersion,
} from './validation.decorators';

const EXAMPLE_CONTACT = {
  id: 'crm-1001',
  phone_number: '+4915112345678',
  country: 'DE',
  consent_timestamp: '2025-11-02T10:15:00+01:00',
  consent_scope: 'cold_call',
};

/** Body of POST /v1/validate. Contacts are free-form; their shape is the policy's business. */
export class ValidateRequestDto {
  @ApiProperty({
    description:
      'Contact records (JSON objects), at most MAX_CONTACTS_PER_REQUEST (default 10,000). ' +
      'A non-object entry yields an INPUT_MALFORMED result.',
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    example: [EXAMPLE_CONTACT],
  })
  @RawJson()
  @IsArray()
  contacts!: unknown[];

  @ApiPropertyOptional({
    description: 'Policy id; default DEFAULT_POLICY.',
    example: 'gdpr-consent',
  })
  @OptionalPolicyId()
  policy?: string;

  @ApiPropertyOptional({
    description: 'Exact version; default: the version in effect at evaluatedAt.',
    example: '1.0.0',
  })
  @OptionalPolicyVersion()
  version?: string;

  @ApiPropertyOptional({
    description: 'RFC 3339 instant with offset to evaluate at; default now.',
    example: '2026-03-01T09:00:00Z',
  })
  @OptionalEvaluatedAt()
  evaluatedAt?: string;

  @ApiPropertyOptional({
    description: 'Include the rule-by-rule condition tree (json-rules-engine) per result.',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  explain?: boolean;
}

/** Query of POST /v1/validate/stream (the body is NDJSON). */
export class ValidateStreamQueryDto {
  @ApiPropertyOptional({ example: 'gdpr-consent' })
  @OptionalPolicyId()
  policy?: string;

  @ApiPropertyOptional({ example: '1.0.0' })
  @OptionalPolicyVersion()
  version?: string;

  @ApiPropertyOptional({ example: '2026-03-01T09:00:00Z' })
  @OptionalEvaluatedAt()
  evaluatedAt?: string;
}
