import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from '../error-codes';

class FieldErrorDto {
  @ApiProperty({ example: 'evaluatedAt' })
  path!: string;
  @ApiProperty({ example: 'evaluatedAt must be an RFC 3339 date-time with an offset' })
  message!: string;
}

/** RFC 9457 problem details as served with application/problem+json (OpenAPI schema only). */
export class ProblemDto {
  @ApiProperty({ example: 'https://consent-gate.dev/problems/invalid-request' })
  type!: string;
  @ApiProperty({ example: 'Invalid request' })
  title!: string;
  @ApiProperty({ example: 400 })
  status!: number;
  @ApiProperty({ example: 'The request is invalid; see errors.' })
  detail!: string;
  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode', example: ErrorCode.INVALID_REQUEST })
  code!: ErrorCode;
  @ApiProperty({ example: '5f0c6f1e-3b7a-4d8e-9a51-2f7f0c9d1e22' })
  requestId!: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'For INVALID_REQUEST.' })
  errors?: FieldErrorDto[];
}
