import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { PayoutReadinessResponse } from '../../payouts.response.js';
import { ReadinessQuery } from './readiness.query.js';
import { resourceId } from '../../resource-id.js';

@ApiTags('partners')
@Controller('v1/partners')
export class ReadinessController {
  constructor(private readonly readiness: ReadinessQuery) {}

  @Get(':id/payout-readiness')
  @Auth('admin')
  @ApiOkResponse({ type: PayoutReadinessResponse, description: 'the troubleshooting checklist: each check with what was found and what to do' })
  get(@Caller() caller: AdminPrincipal, @Param('id') id: string): Promise<PayoutReadinessResponse> {
    return this.readiness.get(caller.companyId, resourceId('partner', id));
  }
}
