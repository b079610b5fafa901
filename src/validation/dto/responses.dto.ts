import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI schemas of the validation and policy endpoints' responses (documentation only). */

export class PolicyRefDto {
  @ApiProperty({ example: 'gdpr-consent' }) id!: string;
  @ApiProperty({ example: '1.0.0' }) version!: string;
  @ApiProperty({ example: 'sha256:9f2c…' }) digest!: string;
}

class ViolationDto {
  @ApiProperty({ example: 'CONSENT_EXPIRED' }) code!: string;
  @ApiProperty({ example: 'consent is older than 730 days' }) message!: string;
  @ApiProperty({ example: 'CONSENT_EXPIRED' }) rule!: string;
  @ApiProperty({ enum: ['reject', 'warn'] }) severity!: string;
}

export class ContactResultDto {
  @ApiProperty({ example: 0 }) index!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'crm-1001',
    description: "The contact's id; numbers become decimal strings; null when absent.",
  })
  contactId!: string | null;
  @ApiProperty({ enum: ['APPROVED', 'REJECTED'] }) decision!: string;
  @ApiProperty({ example: 'VALIDATION_PASSED' }) code!: string;
  @ApiProperty({ type: [String], example: [] }) codes!: string[];
  @ApiProperty({ type: [String], example: [] }) warnings!: string[];
  @ApiProperty({ type: [ViolationDto] }) violations!: ViolationDto[];
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object' },
    description: 'Only with explain=true.',
  })
  explain?: unknown[];
}

export class SummaryDto {
  @ApiProperty({ example: 2 }) total!: number;
  @ApiProperty({ example: 1 }) approved!: number;
  @ApiProperty({ example: 1 }) rejected!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { VALIDATION_PASSED: 1, CONSENT_EXPIRED: 1 },
  })
  byCode!: Record<string, number>;
}

export class ValidateResponseDto {
  @ApiProperty({ type: PolicyRefDto }) policy!: PolicyRefDto;
  @ApiProperty({ example: '2026-03-01T09:00:00.000Z' }) evaluatedAt!: string;
  @ApiProperty({ example: '5f0c6f1e-3b7a-4d8e-9a51-2f7f0c9d1e22' }) requestId!: string;
  @ApiProperty({ type: SummaryDto }) summary!: SummaryDto;
  @ApiProperty({ type: [ContactResultDto] }) results!: ContactResultDto[];
}

class PolicyVersionSummaryDto {
  @ApiProperty({ example: '1.0.0' }) version!: string;
  @ApiProperty({ example: '2024-01-01T00:00:00Z' }) effectiveFrom!: string;
  @ApiProperty({ type: String, nullable: true, example: null }) effectiveTo!: string | null;
  @ApiProperty({ example: 'sha256:9f2c…' }) digest!: string;
  @ApiProperty({ example: "The tutorial's rules" }) description!: string;
}

export class PolicySummaryDto {
  @ApiProperty({ example: 'gdpr-consent' }) id!: string;
  @ApiProperty({ type: [PolicyVersionSummaryDto] }) versions!: PolicyVersionSummaryDto[];
  @ApiProperty({ type: String, nullable: true, example: '1.0.0' }) active!: string | null;
}

export class PolicyListDto {
  @ApiProperty({ type: [PolicySummaryDto] }) policies!: PolicySummaryDto[];
  @ApiProperty({ example: 'gdpr-consent' }) defaultPolicy!: string;
  @ApiProperty({
    example: '2026-03-01T09:00:00.000Z',
    description: 'The instant "active" refers to.',
  })
  asOf!: string;
}

class RuleDto {
  @ApiProperty({ example: 'CONSENT_EXPIRED' }) code!: string;
  @ApiProperty({ example: 'consent_age' }) name!: string;
  @ApiProperty({ enum: ['reject', 'warn'] }) severity!: string;
  @ApiProperty({ example: 'consent is older than {max_age_days} days' }) message!: string;
  @ApiProperty({ example: 0 }) order!: number;
}

export class PolicyVersionDto {
  @ApiProperty({ example: 'gdpr-consent' }) id!: string;
  @ApiProperty({ example: '1.0.0' }) version!: string;
  @ApiProperty({ example: 'sha256:9f2c…' }) digest!: string;
  @ApiProperty({ example: '2024-01-01T00:00:00Z' }) effectiveFrom!: string;
  @ApiProperty({ type: String, nullable: true }) effectiveTo!: string | null;
  @ApiProperty() description!: string;
  @ApiProperty({ type: [RuleDto] }) rules!: RuleDto[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The parsed YAML.' })
  document!: unknown;
}

class PolicyLoadErrorDto {
  @ApiProperty({ example: 'policies/gdpr-consent/2.0.0.yaml' }) file!: string;
  @ApiProperty({ example: 12 }) line!: number;
  @ApiProperty({ example: 5 }) column!: number;
  @ApiProperty({ example: 'unknown operator "olderThan"' }) message!: string;
}

export class ReloadResultDto {
  @ApiProperty({ example: true }) ok!: boolean;
  @ApiProperty({ type: [PolicyRefDto] }) loaded!: PolicyRefDto[];
  @ApiProperty({ type: [PolicyLoadErrorDto] }) errors!: PolicyLoadErrorDto[];
}
