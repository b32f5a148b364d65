import { ApiProperty } from '@nestjs/swagger';

export class MoneyTotalResponse {
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty({ description: 'minor units' }) amount!: number;
}

export class FunnelPeriodResponse {
  @ApiProperty({ example: '2026-01-05', description: 'first day of the period within the range (UTC)' }) periodStart!: string;
  @ApiProperty({ description: 'counted clicks (once per visitor and partner in 24 h, no bots)' }) clicks!: number;
  @ApiProperty({ description: 'leads created' }) leads!: number;
  @ApiProperty({ description: 'leads that got their first Stripe customer' }) customers!: number;
  @ApiProperty({ description: 'leads whose first attributed payment was paid in the period' }) payingCustomers!: number;
  @ApiProperty({ type: [MoneyTotalResponse], description: 'attributed net (amount − tax) less refunds, per currency' }) revenue!: MoneyTotalResponse[];
  @ApiProperty({ type: [MoneyTotalResponse], description: 'commissions earned less reversals, per currency' }) commissions!: MoneyTotalResponse[];
}

export class FunnelResponse {
  @ApiProperty({ type: [FunnelPeriodResponse] }) data!: FunnelPeriodResponse[];
}

export class LeaderboardRowResponse {
  @ApiProperty() partnerId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() clicks!: number;
  @ApiProperty() leads!: number;
  @ApiProperty() customers!: number;
  @ApiProperty() payingCustomers!: number;
  @ApiProperty({ type: [MoneyTotalResponse] }) revenue!: MoneyTotalResponse[];
  @ApiProperty({ type: [MoneyTotalResponse] }) commissions!: MoneyTotalResponse[];
}

export class LeaderboardResponse {
  @ApiProperty({ type: [LeaderboardRowResponse] }) data!: LeaderboardRowResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
