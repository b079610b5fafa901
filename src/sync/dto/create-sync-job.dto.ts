import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IsRfc3339DateTime } from '../../validation/dto/validation.decorators';
import { ON_REJECT_VALUES, type OnReject } from '../sync.types';

/** Parameters shared by the JSON body and the query string of an NDJSON upload. */
export class SyncJobParamsDto {
  @ApiProperty({
    example: 'b6a8c2e0-3f1d-4c55-9a0e-7d1f2c3b4a59',
    description: 'Genesys contact list id',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  contactListId!: string;

  @ApiPropertyOptional({
    example: 'gdpr-consent',
    description: 'Policy id (default DEFAULT_POLICY)',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]*$/)
  policy?: string;

  @ApiPropertyOptional({
    example: '1.0.0',
    description: 'Policy version (default: in effect at evaluatedAt)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  version?: string;

  @ApiPropertyOptional({
    example: '2026-12-04T20:00:00Z',
    description: 'RFC 3339 instant to evaluate at (default now)',
  })
  @IsOptional()
  @IsRfc3339DateTime({ message: 'evaluatedAt must be an RFC 3339 date-time with an offset' })
  evaluatedAt?: string;

  @ApiPropertyOptional({ enum: ON_REJECT_VALUES, default: 'skip' })
  @IsOptional()
  @IsIn(ON_REJECT_VALUES)
  onReject?: OnReject;

  @ApiPropertyOptional({
    default: false,
    description: 'Validate, audit and check columns; send nothing',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 64,
    description: 'Batches in flight (default GENESYS_CONCURRENCY)',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  )
  @IsInt()
  @Min(1)
  @Max(64)
  concurrency?: number;
}

export class CreateSyncJobDto extends SyncJobParamsDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    example: [
      {
        id: 'crm-1001',
        phone_number: '+4915112345678',
        email: 'anna@example.com',
        first_name: 'Anna',
        consent_timestamp: '2026-03-01T09:30:00Z',
        consent_scope: 'cold_call',
      },
    ],
  })
  @IsArray()
  contacts!: unknown[];

  @ApiPropertyOptional({
    description: 'Field-to-column renames, same shape as the --mapping file',
    example: { columns: { phone_number: 'HomePhone', email: 'Email' }, ignore: ['first_name'] },
  })
  @IsOptional()
  @IsObject()
  mapping?: Record<string, unknown>;
}

/** Query string of an NDJSON upload; `mapping` is the mapping object as JSON text. */
export class SyncJobQueryDto extends SyncJobParamsDto {
  @ApiPropertyOptional({
    description: 'Mapping as JSON, e.g. {"columns":{"phone_number":"HomePhone"}}',
  })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  mapping?: string;
}
