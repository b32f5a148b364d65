import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class InvoiceScheduleResponse {
  @ApiProperty({ enum: ['weekly', 'monthly'] }) frequency!: string;
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string', enum: ['last'] }], description: 'weekly: ISO weekday 1-7; monthly: day 1-28 or "last"' }) day!:
    number | 'last';
  @ApiProperty() holdDays!: number;
  @ApiProperty({ description: 'minor units of the company currency' }) minimumPayout!: number;
  @ApiPropertyOptional({ description: 'IANA time zone of the invoice days and periods; absent: UTC' }) timeZone?: string;
}

export class CommissionPlanResponse {
  @ApiProperty({ enum: ['percentage', 'flat'] }) type!: string;
  @ApiPropertyOptional() percent?: number;
  @ApiPropertyOptional() amount?: number;
  @ApiPropertyOptional() currency?: string;
  @ApiPropertyOptional() durationMonths?: number;
  @ApiPropertyOptional() firstPaymentOnly?: boolean;
}

export class StripeConnectionResponse {
  @ApiProperty() connected!: boolean;
  @ApiProperty() apiKeySet!: boolean;
}

export class NotificationsResponse {
  @ApiProperty({ type: [String], description: 'who gets the admin e-mails (payout failures, unattributed digest, disabled webhook endpoints)' })
  adminEmails!: string[];
  @ApiProperty({ type: [String], description: 'e-mail kinds switched off' }) disabled!: string[];
}

export class TrackingSettingsResponse {
  @ApiProperty({ type: String, nullable: true, description: 'where GET /r/{referralKey} redirects; null until set' }) landingUrl!: string | null;
  @ApiProperty({ example: 60 }) cookieDays!: number;
  @ApiProperty({ enum: ['last_click', 'first_click'] }) model!: string;
  @ApiProperty({ type: [String] }) allowedOrigins!: string[];
}

export class FraudSettingsResponse {
  @ApiProperty({ example: 0.3, description: 'refunded share of a partner’s last 90 days’ revenue above which a commission is flagged high_refund_rate' })
  refundRateThreshold!: number;
}

export class CompanyResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty({ type: InvoiceScheduleResponse }) invoiceSchedule!: InvoiceScheduleResponse;
  @ApiProperty({ type: CommissionPlanResponse, nullable: true }) commissionPlan!: CommissionPlanResponse | null;
  @ApiProperty({ type: StripeConnectionResponse }) stripe!: StripeConnectionResponse;
  @ApiProperty({ type: NotificationsResponse }) notifications!: NotificationsResponse;
  @ApiProperty({
    description:
      'on attribution, write partnerflow_partner_id and partnerflow_lead_id into the Stripe customer’s metadata (needs the API key with customer write access)',
  })
  stripeWriteBack!: boolean;
  @ApiProperty({ type: TrackingSettingsResponse }) tracking!: TrackingSettingsResponse;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'pk_3hT2xk…',
    description:
      'public key of the tracking script and /v1/track/* (no other route takes it); null until tracking is first set on companies created before tracking existed',
  })
  publishableKey!: string | null;
  @ApiProperty({ enum: ['auto', 'manual'], description: 'manual: new commissions wait in pending_review until approved; auto: only flagged ones do' })
  commissionReview!: string;
  @ApiProperty({ type: FraudSettingsResponse }) fraud!: FraudSettingsResponse;
  @ApiProperty() createdAt!: string;
}

export class CreatedCompanyResponse extends CompanyResponse {
  @ApiProperty({ description: 'shown once; store it now' }) adminApiKey!: string;
}
