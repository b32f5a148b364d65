import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CommissionPlanResponse } from '../companies/index.js';

export class StripeAccountResponse {
  @ApiProperty() id!: string;
  @ApiProperty() payoutsEnabled!: boolean;
}

export class PartnerResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ example: 'eur' }) currency!: string;
  @ApiProperty({ description: 'unique per company; use it as a Checkout client_reference_id' }) referralKey!: string;
  @ApiProperty({ type: CommissionPlanResponse, nullable: true }) commissionPlan!: CommissionPlanResponse | null;
  @ApiProperty({ type: [String], description: 'promotion code ids (promo_…) or codes (upper-cased) that attribute payments to this partner' })
  promotionCodes!: string[];
  @ApiProperty({ type: StripeAccountResponse, nullable: true }) stripeAccount!: StripeAccountResponse | null;
  @ApiPropertyOptional({ description: 'masked', nullable: true, type: 'object', additionalProperties: { type: 'string' } }) bankDetails!: Record<
    string,
    string
  > | null;
  @ApiProperty({ description: 'false: deactivated (no portal access, no new commissions; history kept)' }) active!: boolean;
  @ApiProperty() createdAt!: string;
}

export class CreatedPartnerResponse extends PartnerResponse {
  @ApiProperty({ description: 'shown once' }) partnerApiKey!: string;
}

export class PartnerListResponse {
  @ApiProperty({ type: [PartnerResponse] }) data!: PartnerResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
