import { ApiProperty, OmitType } from '@nestjs/swagger';
import { CommissionPlanResponse } from '../companies/index.js';

export class FraudFlagResponse {
  @ApiProperty({ enum: ['self_referral', 'duplicate_customer', 'high_refund_rate'] }) code!: string;
  @ApiProperty({ example: 'the lead email jane@acme.example shares the partner’s domain acme.example (partner joe@acme.example)' }) detail!: string;
}

export class CommissionResponse {
  @ApiProperty() id!: string;
  @ApiProperty() partnerId!: string;
  @ApiProperty() leadId!: string;
  @ApiProperty() paymentId!: string;
  @ApiProperty({ description: 'minor units; what is owed on this commission after refunds it absorbed' }) amount!: number;
  @ApiProperty({ example: 'usd', description: 'the payment’s currency' }) currency!: string;
  @ApiProperty({
    enum: ['pending_review', 'pending', 'payable', 'invoiced', 'paid', 'reversed', 'declined'],
    description: 'pending_review: waits for an admin’s approval (manual review, or fraud flags); declined: never paid',
  })
  status!: string;
  @ApiProperty() payableAt!: string;
  @ApiProperty({ enum: ['payment', 'reversal'], description: 'reversal: a negative commission carrying a refund of an invoiced one' }) kind!: string;
  @ApiProperty({ description: 'amount earned before refunds' }) earnedAmount!: number;
  @ApiProperty({ description: 'refunds reversed so far (cumulative)' }) reversedAmount!: number;
  @ApiProperty({ type: String, nullable: true }) invoiceId!: string | null;
  @ApiProperty({ type: String, nullable: true }) reversesCommissionId!: string | null;
  @ApiProperty({ type: CommissionPlanResponse, nullable: true, description: 'the plan in force when it was earned' }) plan!: CommissionPlanResponse | null;
  @ApiProperty() paidAt!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: [FraudFlagResponse], description: 'fraud checks that flagged it when earned; a flagged commission waits in pending_review' })
  flags!: FraudFlagResponse[];
  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['auto', 'manual'],
    description: 'the company’s review mode when it was earned (null: before review existed, or a reversal)',
  })
  review!: string | null;
  @ApiProperty({ type: String, nullable: true }) declineReason!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'when it was approved or declined' }) reviewedAt!: string | null;
}

export class MoneyTotal {
  @ApiProperty() currency!: string;
  @ApiProperty() amount!: number;
}

/** The rate a display figure was converted with. */
export class UsedRateResponse {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ example: '0.9234', description: 'base→quote rate as stored' }) rate!: string;
  @ApiProperty() rateId!: string;
  @ApiProperty() asOf!: string;
  @ApiProperty() source!: string;
  @ApiProperty({ description: 'true: the stored rate is quoted to→from and the amount was divided by it' }) inverted!: boolean;
}

export class DisplayTotalResponse {
  @ApiProperty({ description: 'the company display currency' }) currency!: string;
  @ApiProperty() amount!: number;
  @ApiProperty({ type: [UsedRateResponse] }) rates!: UsedRateResponse[];
}

export class CommissionListResponse {
  @ApiProperty({ type: [CommissionResponse] }) data!: CommissionResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
  @ApiProperty({
    type: [MoneyTotal],
    description: 'sum of every matching commission (all pages) per currency; declined ones count only when filtering by status=declined',
  })
  totals!: MoneyTotal[];
  @ApiProperty({ type: DisplayTotalResponse, nullable: true, description: 'totals in the display currency; null with displayError when a rate is missing' })
  display!: DisplayTotalResponse | null;
  @ApiProperty({ type: String, nullable: true }) displayError!: string | null;
}

export class BalanceLine {
  @ApiProperty() currency!: string;
  @ApiProperty() pending!: number;
  @ApiProperty() payable!: number;
  @ApiProperty() invoiced!: number;
  @ApiProperty() paid!: number;
  @ApiProperty({
    description:
      'net amount converted out of (positive) or into (negative) this currency by invoices in the partner’s currency; per currency, commissions earned − converted = pending + payable + invoiced + paid',
  })
  converted!: number;
}

export class DisplayBalanceResponse extends OmitType(BalanceLine, ['converted'] as const) {
  @ApiProperty({ type: [UsedRateResponse] }) rates!: UsedRateResponse[];
}

export class BalanceResponse {
  @ApiProperty() asOf!: string;
  @ApiProperty({
    type: [BalanceLine],
    description:
      'from the double-entry ledger, per currency: commissions in their own currency, invoiced and paid amounts in the invoice’s (partner’s) currency',
  })
  balances!: BalanceLine[];
  @ApiProperty({ type: DisplayBalanceResponse, nullable: true }) display!: DisplayBalanceResponse | null;
  @ApiProperty({ type: String, nullable: true }) displayError!: string | null;
}
