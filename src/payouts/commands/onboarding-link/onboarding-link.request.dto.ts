import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO31661Alpha2, IsOptional } from 'class-validator';

export class OnboardingLinkRequest {
  @ApiPropertyOptional({
    example: 'DE',
    description:
      'ISO 3166-1 alpha-2 country of the partner’s Stripe account, fixed once the account exists; default: the platform’s country. A partner in another country gets the `recipient` service agreement (transfers only).',
  })
  @IsOptional()
  @IsISO31661Alpha2()
  country?: string;
}
