import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Caller, type AdminPrincipal, type PartnerPrincipal } from '../../../../libs/http/auth.js';
import { SessionResponse } from '../../session.response.js';

@ApiTags('sessions')
@Controller('v1/sessions/current')
export class CurrentSessionController {
  /** Who the cookie (or the Bearer key) signs in: the console asks on load to choose /admin or /portal. */
  @Get()
  @Auth('admin', 'partner')
  @ApiOkResponse({ type: SessionResponse })
  current(@Caller() caller: AdminPrincipal | PartnerPrincipal): SessionResponse {
    return caller.role === 'partner'
      ? { role: 'partner', companyId: caller.companyId, partnerId: caller.partnerId }
      : { role: 'admin', companyId: caller.companyId };
  }
}
