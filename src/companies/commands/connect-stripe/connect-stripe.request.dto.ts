import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class ConnectStripeRequest {
  @ApiProperty({ description: 'the webhook endpoint signing secret (whsec_…); stored encrypted, never returned' })
  @IsString()
  @Matches(/^whsec_[A-Za-z0-9_]+$/, { message: 'webhookSecret must be a Stripe signing secret (whsec_…)' })
  @MaxLength(200)
  webhookSecret!: string;

  @ApiPropertyOptional({ description: 'restricted key (rk_…) or secret key (sk_…) used for reconciliation; stored encrypted' })
  @IsOptional()
  @IsString()
  @Matches(/^(rk|sk)_(test|live)_[A-Za-z0-9_]+$/, { message: 'apiKey must be a Stripe restricted (rk_…) or secret (sk_…) key' })
  @MaxLength(300)
  apiKey?: string;
}
