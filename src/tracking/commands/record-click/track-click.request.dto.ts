import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsHttpUrl } from '../../../../libs/http/url-fields.js';
import { MAX_URL_LENGTH, PUBLISHABLE_KEY, REFERRAL_KEY } from '../../domain/tracking-input.js';

export class TrackClickRequest {
  @ApiProperty({ example: 'pk_3hT2xkQ9…' })
  @IsString()
  @Matches(PUBLISHABLE_KEY, { message: 'publishableKey must be the company’s publishable key (pk_…)' })
  publishableKey!: string;

  @ApiProperty({ example: 'ref_x7Kq2mPa', description: 'the partner’s referral key (the script sends ?via=)' })
  @IsString()
  @IsNotEmpty()
  @Matches(REFERRAL_KEY, { message: 'referralKey must be a referral key (letters, digits, _ and -, at most 64)' })
  referralKey!: string;

  @ApiPropertyOptional({ description: 'the page the visitor landed on (http or https, at most 2048 characters)' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  @IsHttpUrl()
  url?: string;

  @ApiPropertyOptional({ description: 'the page the visitor came from (http or https, at most 2048 characters)' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  @IsHttpUrl()
  referrer?: string;
}
