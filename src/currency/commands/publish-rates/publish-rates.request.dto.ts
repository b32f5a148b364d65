import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { NotBlank } from '../../../../libs/http/validation.js';

export class PublishRatesRequest {
  @ApiProperty({ example: 'usd', description: '1 unit of base = rate units of each quote currency' })
  @IsString()
  @Length(3, 3)
  @Matches(/^[a-zA-Z]{3}$/)
  base!: string;

  @ApiProperty({ example: '2025-03-14', description: 'ISO date (00:00 UTC) or timestamp the rates apply from' })
  @IsISO8601({ strict: true })
  asOf!: string;

  @ApiProperty({ example: { eur: 0.9234, jpy: 151.37 }, type: 'object', additionalProperties: { type: 'number' } })
  @IsObject()
  rates!: Record<string, number>;

  @ApiPropertyOptional({ example: 'ecb', default: 'manual' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @NotBlank()
  @MaxLength(50)
  source?: string;
}
