import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readSql } from '../../../../libs/database/sql.js';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { decodeCursor, page, PageQuery, pageLimit } from '../../../../libs/http/pagination.js';
import { ORM } from '../../../core/tokens.js';

const STATUSES = ['pending', 'succeeded', 'permission_denied', 'key_rejected', 'customer_missing', 'no_api_key'] as const;

class ListWriteBacksQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: (typeof STATUSES)[number];
}

export class StripeWriteBackResponse {
  @ApiProperty({ example: 'cus_…' }) customerId!: string;
  @ApiProperty() leadId!: string;
  @ApiProperty() partnerId!: string;
  @ApiProperty({ enum: STATUSES, description: 'permission_denied: the company’s key lacks write access to customers (Stripe’s message in lastError)' })
  status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty() updatedAt!: string;
}

export class StripeWriteBackListResponse {
  @ApiProperty({ type: [StripeWriteBackResponse], description: 'newest first' }) data!: StripeWriteBackResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

type Row = {
  customer_id: string;
  lead_id: string;
  partner_id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  updated_at: Date;
  position: string;
};

@ApiTags('company')
@Controller('v1/stripe-write-backs')
export class StripeWriteBacksController {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  @Get()
  @Auth('admin')
  @ApiOkResponse({ type: StripeWriteBackListResponse, description: 'what Stripe write-back did for each attributed customer, and why it could not' })
  async list(@Caller() caller: AdminPrincipal, @Query() q: ListWriteBacksQuery): Promise<StripeWriteBackListResponse> {
    const limit = pageLimit(q);
    const before = decodeCursor(q.cursor);
    const rows = await readSql(this.orm).query<Row>(
      `select *, seq as position from stripe_write_backs where company_id = $1 and ($2::bigint = 0 or seq < $2) and ($3::text is null or status = $3) order by seq desc limit $4`,
      [caller.companyId, before, q.status ?? null, limit + 1],
    );
    return page(rows, limit, (r) => ({
      customerId: r.customer_id,
      leadId: r.lead_id,
      partnerId: r.partner_id,
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      updatedAt: new Date(r.updated_at).toISOString(),
    }));
  }
}
