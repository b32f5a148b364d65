import { ApiProperty } from '@nestjs/swagger';

export class InvoiceLineResponse {
  @ApiProperty() commissionId!: string;
  @ApiProperty({ description: 'commission amount, minor units of `currency`' }) amount!: number;
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty({ type: String, nullable: true, example: '0.9234', description: 'null when the commission is already in the invoice currency' }) fxRate!:
    string | null;
  @ApiProperty({ type: String, nullable: true }) fxRateId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'date of the rate used' }) fxAsOf!: string | null;
  @ApiProperty({ type: String, nullable: true }) fxSource!: string | null;
  @ApiProperty({ type: Boolean, nullable: true, description: 'the rate is quoted invoice→line currency and was divided by' }) fxInverted!: boolean | null;
  @ApiProperty({ description: 'minor units of the invoice currency' }) convertedAmount!: number;
}

export class InvoiceCarryResponse {
  @ApiProperty({ description: 'rounding remainders of earlier invoices added to this one' }) in!: number;
  @ApiProperty({ description: 'what rounding down to the currency’s charge increment left for the next invoice' }) out!: number;
}

export class InvoiceResponse {
  @ApiProperty() id!: string;
  @ApiProperty() partnerId!: string;
  @ApiProperty({ example: 'INV-000001', description: 'gap-free and sequential per company' }) number!: string;
  @ApiProperty({ enum: ['pending_approval', 'approved', 'processing', 'paid', 'payment_failed', 'void'] }) status!: string;
  @ApiProperty({ description: 'the partner’s currency' }) currency!: string;
  @ApiProperty({ description: 'sum of the converted lines + carry.in − carry.out, minor units: a chargeable amount (Stripe’s increment of the currency)' })
  total!: number;
  @ApiProperty({ type: [InvoiceLineResponse] }) lines!: InvoiceLineResponse[];
  @ApiProperty({ enum: ['payout', 'clawback'], description: 'clawback: a statement of what the partner owes (negative total), settled with mark-paid' })
  kind!: string;
  @ApiProperty({ type: InvoiceCarryResponse }) carry!: InvoiceCarryResponse;
  @ApiProperty({ example: '2025-03-01' }) periodStart!: string;
  @ApiProperty({ example: '2025-03-31' }) periodEnd!: string;
  @ApiProperty({ type: String, nullable: true }) paymentIntentId!: string | null;
  @ApiProperty({ type: String, nullable: true }) failureReason!: string | null;
  @ApiProperty({ type: String, nullable: true }) paidReference!: string | null;
  @ApiProperty({ type: String, nullable: true }) paidAt!: string | null;
  @ApiProperty() createdAt!: string;
}

export class InvoiceListResponse {
  @ApiProperty({ type: [InvoiceResponse] }) data!: InvoiceResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class GeneratedInvoice {
  @ApiProperty() invoiceId!: string;
  @ApiProperty() partnerId!: string;
  @ApiProperty() number!: string;
  @ApiProperty() currency!: string;
  @ApiProperty() total!: number;
}

export class SkippedPartner {
  @ApiProperty() partnerId!: string;
  @ApiProperty({
    enum: ['already_invoiced', 'below_minimum', 'not_positive', 'not_negative', 'fx_rate_missing', 'concurrent_change', 'too_many_lines'],
    description:
      'its commissions stay payable and roll to the next run. too_many_lines: the partner was invoiced (see created), but its invoice holds only the lines the event store takes in one append; the commissions left out (counted in detail) stay payable for its next period',
  })
  reason!: string;
  @ApiProperty({ type: String, nullable: true }) detail!: string | null;
}

export class GenerateInvoicesResponse {
  @ApiProperty() periodStart!: string;
  @ApiProperty() periodEnd!: string;
  @ApiProperty({ description: 'commissions payable at or before this instant were considered' }) cutoff!: string;
  @ApiProperty({ type: [GeneratedInvoice], description: 'invoices this run created' }) created!: GeneratedInvoice[];
  @ApiProperty({ type: [SkippedPartner] }) skipped!: SkippedPartner[];
}
