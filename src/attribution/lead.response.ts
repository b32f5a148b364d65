import { ApiProperty } from '@nestjs/swagger';

export class LeadResponse {
  @ApiProperty() id!: string;
  @ApiProperty() partnerId!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: String, nullable: true }) stripeCustomerId!: string | null;
  @ApiProperty() createdAt!: string;
}

export class LeadListResponse {
  @ApiProperty({ type: [LeadResponse] }) data!: LeadResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
