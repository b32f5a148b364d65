import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { Auth, Caller, type AdminPrincipal, type PartnerPrincipal } from '../../../../libs/http/auth.js';
import { PageQuery, pageLimit } from '../../../../libs/http/pagination.js';
import type { InvoiceStatus } from '../../domain/invoice.js';
import { InvoicesQuery } from './invoices.query.js';
import { InvoiceListResponse, InvoiceResponse } from '../../invoice.response.js';

const STATUSES = ['pending_approval', 'approved', 'processing', 'paid', 'payment_failed', 'void'] as const;

class PortalInvoicesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: InvoiceStatus;
}

class ListInvoicesQuery extends PortalInvoicesQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  partnerId?: string;
}

@ApiTags('invoices')
@Controller('v1')
export class InvoicesController {
  constructor(private readonly invoices: InvoicesQuery) {}

  @Get('invoices')
  @Auth('admin')
  @ApiOkResponse({ type: InvoiceListResponse })
  list(@Caller() caller: AdminPrincipal, @Query() q: ListInvoicesQuery): Promise<InvoiceListResponse> {
    return this.invoices.list(caller.companyId, { status: q.status, partnerId: q.partnerId }, q.cursor, pageLimit(q));
  }

  @Get('invoices/:id')
  @Auth('admin')
  @ApiOkResponse({ type: InvoiceResponse })
  get(@Caller() caller: AdminPrincipal, @Param('id') id: string): Promise<InvoiceResponse> {
    return this.invoices.get(caller.companyId, id);
  }

  @Get('portal/invoices')
  @Auth('partner')
  @ApiOkResponse({ type: InvoiceListResponse })
  portal(@Caller() caller: PartnerPrincipal, @Query() q: PortalInvoicesQuery): Promise<InvoiceListResponse> {
    return this.invoices.list(caller.companyId, { status: q.status, partnerId: caller.partnerId }, q.cursor, pageLimit(q));
  }
}
