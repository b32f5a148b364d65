import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { NotBlank } from '../../../../libs/http/validation.js';

export class CreateLeadRequest {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  partnerId!: string;

  @ApiProperty({ example: 'john@techstartup.com' })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @NotBlank()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: 'cus_ABC123xyz' })
  @IsOptional()
  @IsString()
  @Matches(/^cus_[A-Za-z0-9]+$/, { message: 'stripeCustomerId must be a Stripe customer id (cus_…)' })
  stripeCustomerId?: string;
}
