import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { INCLUDE_MODES, type IncludeMode } from '../comparison.types';
import { IsRfc3339 } from './rfc3339';

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** Query parameters of POST /v1/compare/stream (the body is NDJSON contacts). */
export class CompareStreamQueryDto {
  @ApiPropertyOptional({ example: 'gdpr-consent' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'policy must be a policy id such as gdpr-consent' })
  policy?: string;

  @ApiPropertyOptional({ example: '1.0.0', description: 'Baseline version.' })
  @IsOptional()
  @Matches(SEMVER, { message: 'baseline must be a semantic version such as 1.0.0' })
  baseline?: string;

  @ApiPropertyOptional({ example: '2.0.0', description: 'Candidate version.' })
  @IsOptional()
  @Matches(SEMVER, { message: 'candidate must be a semantic version such as 2.0.0' })
  candidate?: string;

  @ApiPropertyOptional({ example: '2026-07-15T12:00:00Z' })
  @IsOptional()
  @IsRfc3339()
  baselineEvaluatedAt?: string;

  @ApiPropertyOptional({ example: '2026-08-15T12:00:00Z' })
  @IsOptional()
  @IsRfc3339()
  candidateEvaluatedAt?: string;

  @ApiPropertyOptional({ example: '2026-07-15T12:00:00Z' })
  @IsOptional()
  @IsRfc3339()
  evaluatedAt?: string;

  @ApiPropertyOptional({ enum: INCLUDE_MODES, default: 'changed' })
  @IsOptional()
  @IsIn(INCLUDE_MODES)
  include?: IncludeMode;
}
