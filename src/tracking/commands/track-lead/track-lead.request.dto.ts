import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CLICK_ID } from '../../domain/click.js';
import { PUBLISHABLE_KEY } from '../../domain/tracking-input.js';

export class TrackLeadRequest {
  @ApiProperty({ example: 'pk_3hT2xkQ9…' })
  @IsString()
  @Matches(PUBLISHABLE_KEY, { message: 'publishableKey must be the company’s publishable key (pk_…)' })
  publishableKey!: string;

  @ApiProperty({ example: 'clk_5f0c…_1', description: 'Partnerflow.referral: the click id the script keeps' })
  @IsString()
  @Matches(CLICK_ID, { message: 'clickId must be a click id (clk_…)' })
  clickId!: string;

  @ApiProperty({ example: 'visitor@example.com' })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}
