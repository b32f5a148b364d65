import { ApiProperty } from '@nestjs/swagger';
import { MoneyTotal } from '../commissions/index.js';

export class OverviewPeriodResponse {
  @ApiProperty({ example: '2025-03-01', description: 'first day of the period (UTC); weeks start on Monday' }) periodStart!: string;
  @ApiProperty({ type: [MoneyTotal], description: 'net amount of the payments attributed to partners, per currency (minor units)' }) revenue!: MoneyTotal[];
  @ApiProperty({ type: [MoneyTotal], description: 'commissions earned on those payments (after refunds), per currency' }) commissions!: MoneyTotal[];
}

export class OverviewTotalsResponse {
  @ApiProperty({ type: [MoneyTotal] }) revenue!: MoneyTotal[];
  @ApiProperty({ type: [MoneyTotal] }) commissions!: MoneyTotal[];
}

export class InvoicesNeedingActionResponse {
  @ApiProperty({ description: 'invoices waiting for an admin’s approval' }) pendingApproval!: number;
  @ApiProperty({ description: 'approved, not yet paid' }) approved!: number;
  @ApiProperty({ description: 'payment failed; Pay again after the fix' }) paymentFailed!: number;
}

export class NextInvoiceRunResponse {
  @ApiProperty({ example: '2025-04-01T00:00:00.000Z' }) at!: string;
  @ApiProperty({ example: '2025-03-01' }) periodStart!: string;
  @ApiProperty({ example: '2025-03-31' }) periodEnd!: string;
}

export class OverviewResponse {
  @ApiProperty({ example: '2025-03-01' }) from!: string;
  @ApiProperty({ example: '2025-03-31' }) to!: string;
  @ApiProperty({ enum: ['day', 'week', 'month'] }) interval!: 'day' | 'week' | 'month';
  @ApiProperty({ type: [OverviewPeriodResponse], description: 'every period from `from` to `to`, oldest first, empty ones included' })
  data!: OverviewPeriodResponse[];
  @ApiProperty({ type: OverviewTotalsResponse }) totals!: OverviewTotalsResponse;
  @ApiProperty({ description: 'payments no lead could be found for (all time): they earn nothing until linked' }) unattributedPayments!: number;
  @ApiProperty({ type: InvoicesNeedingActionResponse }) invoices!: InvoicesNeedingActionResponse;
  @ApiProperty({ type: NextInvoiceRunResponse }) nextInvoiceRun!: NextInvoiceRunResponse;
}
