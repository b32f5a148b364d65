import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { NotBlank } from '../../../../libs/http/validation.js';

export class CreateCompanyRequest {
  @ApiProperty({ example: 'Acme Inc.' })
  @IsString()
  @IsNotEmpty()
  @NotBlank()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ example: 'usd', description: 'display currency, default usd' })
  @IsOptional()
  @IsString()
  @Length(3, 3)
  @Matches(/^[a-zA-Z]{3}$/)
  currency?: string;
}
