import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { Auth, Caller, type AdminPrincipal, type PartnerPrincipal } from '../../../../libs/http/auth.js';
import { PageQuery, pageLimit } from '../../../../libs/http/pagination.js';
import { COMMISSION_STATUSES, type CommissionStatus } from '../../domain/commission.js';
import { CommissionsQuery } from './commissions.query.js';
import { DisplayCurrency } from '../display-currency.js';
import { CommissionListResponse, CommissionResponse } from '../../commission.response.js';

const STATUSES = COMMISSION_STATUSES;

class PortalCommissionsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: CommissionStatus;
}

class ListCommissionsQuery extends PortalCommissionsQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  partnerId?: string;
}

@ApiTags('commissions')
@Controller('v1')
export class CommissionsController {
  constructor(
    private readonly commissions: CommissionsQuery,
    private readonly display: DisplayCurrency,
  ) {}

  @Get('commissions')
  @Auth('admin')
  @ApiOkResponse({ type: CommissionListResponse })
  async list(@Caller() caller: AdminPrincipal, @Query() q: ListCommissionsQuery): Promise<CommissionListResponse> {
    const now = new Date();
    const result = await this.commissions.list(caller.companyId, { partnerId: q.partnerId, status: q.status }, q.cursor, pageLimit(q), now);
    const shown = await this.display.convert(caller.companyId, result.totals, ['amount'] as const, now);
    return { ...result, ...shown };
  }

  @Get('commissions/:id')
  @Auth('admin')
  @ApiOkResponse({ type: CommissionResponse })
  get(@Caller() caller: AdminPrincipal, @Param('id') id: string): Promise<CommissionResponse> {
    return this.commissions.get(caller.companyId, id, new Date());
  }

  @Get('portal/commissions')
  @Auth('partner')
  @ApiOkResponse({
    type: CommissionListResponse,
    description: 'the partner’s own commissions (fraud flags are never shown here); totals per currency, no display conversion',
  })
  async portal(@Caller() caller: PartnerPrincipal, @Query() q: PortalCommissionsQuery): Promise<CommissionListResponse> {
    const result = await this.commissions.list(caller.companyId, { partnerId: caller.partnerId, status: q.status }, q.cursor, pageLimit(q), new Date());
    // Fraud flags are the company's: their details name other partners' leads and the partner's own refund history.
    return { ...result, data: result.data.map((c) => ({ ...c, flags: [] })), display: null, displayError: null };
  }
}
