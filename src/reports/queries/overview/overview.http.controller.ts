import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { OverviewResponse } from '../../reports.response.js';
import { OverviewQuery } from './overview.query.js';
import { OverviewParams } from './overview.request.dto.js';

@ApiTags('reports')
@Controller('v1/reports/overview')
export class OverviewController {
  constructor(private readonly overview: OverviewQuery) {}

  @Get()
  @Auth('admin')
  @ApiOkResponse({
    type: OverviewResponse,
    description: 'attributed revenue and commissions per period and currency, what needs attention, the next invoice run',
  })
  @ApiUnprocessableEntityResponse({ description: 'from after to, a date that does not exist, or more than 400 periods' })
  get(@Caller() caller: AdminPrincipal, @Query() q: OverviewParams): Promise<OverviewResponse> {
    return this.overview.get(caller.companyId, q, new Date());
  }
}
