import { ApiProperty } from '@nestjs/swagger';

export class PaymentMethodResponse {
  @ApiProperty({ example: 'pm_1Abc' }) id!: string;
  @ApiProperty({ example: 'visa' }) brand!: string;
  @ApiProperty({ example: '4242' }) last4!: string;
}

export class SetupIntentResponse {
  @ApiProperty({ description: 'for Stripe.js confirmCardSetup; the card is saved when Stripe reports setup_intent.succeeded' }) clientSecret!: string;
}

export class OnboardingLinkResponse {
  @ApiProperty({ description: 'Stripe-hosted Express onboarding; single use, expires after a few minutes' }) url!: string;
}

export class WebhookAckResponse {
  @ApiProperty() received!: boolean;
  @ApiProperty({ description: 'true when this event id was already stored (nothing changed)' }) duplicate!: boolean;
}

export class ReadinessCheckResponse {
  @ApiProperty({
    enum: [
      'payments_attributed',
      'lead_linked',
      'revenue_present',
      'connected_account',
      'bank_details',
      'company_card',
      'payout_method',
      'invoice_status',
      'schedule_configured',
    ],
  })
  id!: string;
  @ApiProperty() ok!: boolean;
  @ApiProperty({ description: 'what was found' }) detail!: string;
  @ApiProperty({ type: String, nullable: true, description: 'what to do when the check fails' }) fix!: string | null;
  @ApiProperty({ description: 'false for connected_account, bank_details and company_card: alternatives that payout_method requires one of' })
  required!: boolean;
}

export class PayoutReadinessResponse {
  @ApiProperty({ description: 'every required check passes' }) ready!: boolean;
  @ApiProperty({ type: [ReadinessCheckResponse] }) checks!: ReadinessCheckResponse[];
}
