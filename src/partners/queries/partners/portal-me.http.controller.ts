import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Caller, type PartnerPrincipal } from '../../../../libs/http/auth.js';
import { PartnersQuery } from './partners.query.js';
import { PartnerResponse } from '../../partner.response.js';

@ApiTags('portal')
@Controller('v1/portal/me')
export class PortalMeController {
  constructor(private readonly partners: PartnersQuery) {}

  @Get()
  @Auth('partner')
  @ApiOkResponse({ type: PartnerResponse })
  me(@Caller() caller: PartnerPrincipal): Promise<PartnerResponse> {
    return this.partners.get(caller.companyId, caller.partnerId);
  }
}
