import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  ValidateNested,
} from 'class-validator';
import { RawJson } from '../../common/http/validation.pipe';
import { INCLUDE_MODES, type IncludeMode } from '../comparison.types';
import { IsRfc3339 } from './rfc3339';

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const POLICY_ID = /^[a-z0-9][a-z0-9-]*$/;

export class CompareSideDto {
  @ApiPropertyOptional({
    example: '1.0.0',
    description: 'Policy version; omitted: the version in effect at this side’s evaluatedAt.',
  })
  @IsOptional()
  @IsString()
  @Matches(SEMVER, { message: 'version must be a semantic version such as 2.0.0' })
  version?: string;

  @ApiPropertyOptional({
    example: '2026-07-15T12:00:00Z',
    description: 'RFC 3339 instant for this side; defaults to the top-level evaluatedAt, then now.',
  })
  @IsOptional()
  @IsRfc3339()
  evaluatedAt?: string;
}

export class CompareRequestDto {
  @ApiProperty({
    description:
      'Contact records (free-form objects; their shape is the policy’s business). A non-object is compared as INPUT_MALFORMED. At most MAX_CONTACTS_PER_REQUEST (default 10,000); use POST /v1/compare/stream beyond that.',
    type: 'array',
    items: { type: 'object', additionalProperties: true },
  })
  @RawJson()
  @IsDefined()
  @IsArray()
  contacts!: unknown[];

  @ApiPropertyOptional({ example: 'gdpr-consent', description: 'Defaults to DEFAULT_POLICY.' })
  @IsOptional()
  @IsString()
  @Matches(POLICY_ID, { message: 'policy must be a policy id such as gdpr-consent' })
  policy?: string;

  @ApiProperty({ type: CompareSideDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CompareSideDto)
  baseline!: CompareSideDto;

  @ApiProperty({ type: CompareSideDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CompareSideDto)
  candidate!: CompareSideDto;

  @ApiPropertyOptional({
    example: '2026-07-15T12:00:00Z',
    description: 'RFC 3339 instant for both sides unless a side gives its own; defaults to now.',
  })
  @IsOptional()
  @IsRfc3339()
  evaluatedAt?: string;

  @ApiPropertyOptional({
    enum: INCLUDE_MODES,
    default: 'changed',
    description: 'List only contacts whose outcome changed (default), or every contact.',
  })
  @IsOptional()
  @IsIn(INCLUDE_MODES)
  include?: IncludeMode;
}
