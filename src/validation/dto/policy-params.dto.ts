import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class PolicyVersionParamsDto {
  @ApiProperty({ example: 'gdpr-consent' })
  @IsString()
  @MaxLength(64)
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'id must be a policy id' })
  id!: string;

  @ApiProperty({ example: '1.0.0' })
  @IsString()
  @MaxLength(64)
  @Matches(/^[0-9A-Za-z][0-9A-Za-z.+-]*$/, { message: 'version must be a version such as 1.0.0' })
  version!: string;
}

export class PolicyVersionQueryDto {
  @ApiPropertyOptional({
    enum: ['json', 'yaml'],
    default: 'json',
    description: '`yaml` returns the source file as application/yaml.',
  })
  @IsOptional()
  @IsIn(['json', 'yaml'])
  format?: 'json' | 'yaml';
}
