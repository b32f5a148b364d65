import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export const CUSTOMER_ID = /^cus_[A-Za-z0-9]{1,200}$/;

export class LinkCustomerRequest {
  @ApiProperty({ example: 'cus_ABC123xyz' })
  @IsString()
  @MaxLength(204)
  @Matches(CUSTOMER_ID, { message: 'customerId must be a Stripe customer id (cus_…)' })
  customerId!: string;

  @ApiPropertyOptional({ description: "also attribute this customer's earlier unattributed payments to the lead (method manual)", default: false })
  @IsOptional()
  @IsBoolean()
  attributePastPayments?: boolean;
}

export class BulkLinkItem {
  @ApiPropertyOptional({ description: 'the lead, or give its email instead' }) leadId?: string;
  @ApiPropertyOptional({ description: 'email of exactly one lead, when leadId is not given' }) email?: string;
  @ApiProperty({ example: 'cus_ABC123xyz' }) customerId!: string;
}

export class BulkLinkRequest {
  @ApiProperty({ type: [BulkLinkItem], description: 'at most 1000 rows; each row is validated and linked on its own' })
  @IsArray()
  items!: unknown[];

  @ApiPropertyOptional({ description: "attribute each linked customer's earlier unattributed payments", default: false })
  @IsOptional()
  @IsBoolean()
  attributePastPayments?: boolean;
}
