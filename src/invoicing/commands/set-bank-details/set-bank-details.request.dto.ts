import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { NotBlank } from '../../../../libs/http/validation.js';

export class BankDetailsRequest {
  @ApiProperty({ example: 'Jane Partner' }) @IsString() @IsNotEmpty() @NotBlank() @MaxLength(200) accountHolder!: string;
  @ApiProperty({ example: 'Deutsche Bank' }) @IsString() @IsNotEmpty() @NotBlank() @MaxLength(200) bankName!: string;
  @ApiProperty({ example: 'DE', description: 'ISO 3166-1 alpha-2' })
  @IsString()
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be a two-letter ISO code' })
  country!: string;
  @ApiPropertyOptional({ example: 'DE89370400440532013000' }) @IsOptional() @IsString() @MaxLength(42) iban?: string;
  @ApiPropertyOptional({ example: '000123456789' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9 -]{4,34}$/, { message: 'accountNumber must be 4-34 digits' })
  accountNumber?: string;
  @ApiPropertyOptional({ example: '110000000' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9 -]{4,20}$/, { message: 'routingNumber must be digits' })
  routingNumber?: string;
  @ApiPropertyOptional({ example: 'DEUTDEFF' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z]{6}[A-Za-z0-9]{2}([A-Za-z0-9]{3})?$/, { message: 'swift must be an 8 or 11 character BIC' })
  swift?: string;
}
