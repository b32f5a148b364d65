import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { PartnersQuery } from '../../../partners/index.js';
import { instant } from '../../../currency/index.js';
import { BalanceQuery } from './balance.query.js';
import { isResourceId } from '../../../shared-kernel/resource-id.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import { DisplayCurrency } from '../display-currency.js';
import { BalanceResponse } from '../../commission.response.js';

class BalanceAsOfQuery {
  @ApiPropertyOptional({ description: 'ISO date or timestamp; default now. A date means the end of that day (UTC).', example: '2025-03-31' })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
}

const endOfDay = (value: string) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(Date.parse(instant(value)) + 86_400_000 - 1) : new Date(instant(value)));

@ApiTags('partners')
@Controller('v1/partners')
export class BalanceController {
  constructor(
    private readonly balances: BalanceQuery,
    private readonly partners: PartnersQuery,
    private readonly display: DisplayCurrency,
  ) {}

  @Get(':id/balance')
  @Auth('admin')
  @ApiOkResponse({ type: BalanceResponse })
  async balance(@Caller() caller: AdminPrincipal, @Param('id') id: string, @Query() q: BalanceAsOfQuery): Promise<BalanceResponse> {
    if (!isResourceId(id)) throw notFound('partner', id);
    await this.partners.get(caller.companyId, id);
    const asOf = q.asOf ? endOfDay(q.asOf) : new Date();
    const balances = await this.balances.balances(caller.companyId, id, asOf);
    const shown = await this.display.convert(caller.companyId, balances, ['pending', 'payable', 'invoiced', 'paid'] as const, asOf);
    return { asOf: asOf.toISOString(), balances, ...shown };
  }
}
