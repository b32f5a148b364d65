import { ApiProperty } from '@nestjs/swagger';

export class PaymentAttributionResponse {
  @ApiProperty({ enum: ['attributed', 'unattributed'] }) status!: 'attributed' | 'unattributed';
  @ApiProperty({ enum: ['customer_id', 'email', 'client_reference_id', 'promotion_code', 'manual'], nullable: true, type: String }) method!: string | null;
  @ApiProperty({ type: String, nullable: true }) leadId!: string | null;
  @ApiProperty({ type: String, nullable: true }) partnerId!: string | null;
  @ApiProperty({ type: [String], description: 'what attribution tried, in order' }) trace!: string[];
}

export class CommissionExclusionResponse {
  @ApiProperty({ enum: ['invoice', 'subscription', 'customer', 'charge'], description: 'the Stripe object whose metadata says partnerflow: "false"' })
  where!: string;
  @ApiProperty({ example: 'metadata partnerflow: "false" on subscription sub_1Q2w3E' }) reason!: string;
}

export class PaymentResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'the invoice (in_…) or charge (ch_…) the payment was recorded from' }) stripeObjectId!: string;
  @ApiProperty({ type: String, nullable: true }) customerId!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ description: 'amount paid, minor units' }) amount!: number;
  @ApiProperty({ description: 'minor units' }) tax!: number;
  @ApiProperty({ description: 'amount − tax, minor units' }) net!: number;
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty() paidAt!: string;
  @ApiProperty({ description: 'refunds and lost disputes so far, minor units' }) refundedAmount!: number;
  @ApiProperty({ type: PaymentAttributionResponse }) attribution!: PaymentAttributionResponse;
  @ApiProperty({ type: String, nullable: true }) chargeId!: string | null;
  @ApiProperty({ type: String, nullable: true }) paymentIntentId!: string | null;
  @ApiProperty({ type: String, nullable: true }) invoiceId!: string | null;
  @ApiProperty({
    type: CommissionExclusionResponse,
    nullable: true,
    description: 'set when Stripe metadata excluded the payment from commissions: recorded and attributed, it earns none',
  })
  commissionExcluded!: CommissionExclusionResponse | null;
  @ApiProperty() createdAt!: string;
}

export class PaymentListResponse {
  @ApiProperty({ type: [PaymentResponse] }) data!: PaymentResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class DiagnosisCandidateResponse {
  @ApiProperty() leadId!: string;
  @ApiProperty() email!: string;
  @ApiProperty() partnerId!: string;
  @ApiProperty({ example: 'same email domain techstartup.com' }) why!: string;
}

export class DiagnosisResponse {
  @ApiProperty() paymentId!: string;
  @ApiProperty({ enum: ['attributed', 'unattributed'] }) status!: string;
  @ApiProperty({ type: [String] }) reasons!: string[];
  @ApiProperty({ type: [DiagnosisCandidateResponse] }) candidates!: DiagnosisCandidateResponse[];
}
