import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Caller, type PartnerPrincipal } from '../../../../libs/http/auth.js';
import { BalanceQuery } from './balance.query.js';
import { BalanceResponse } from '../../commission.response.js';

@ApiTags('portal')
@Controller('v1/portal/balance')
export class PortalBalanceController {
  constructor(private readonly balances: BalanceQuery) {}

  @Get()
  @Auth('partner')
  @ApiOkResponse({
    type: BalanceResponse,
    description: 'the partner’s own earnings per currency and status (pending, payable, invoiced, paid), from the ledger; no display conversion',
  })
  async balance(@Caller() caller: PartnerPrincipal): Promise<BalanceResponse> {
    const asOf = new Date();
    return { asOf: asOf.toISOString(), balances: await this.balances.balances(caller.companyId, caller.partnerId, asOf), display: null, displayError: null };
  }
}
