import { Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { PartnersQuery } from '../../queries/partners/partners.query.js';
import { CreatedPartnerResponse, PartnerResponse } from '../../partner.response.js';
import { RotatePartnerKey, SetPartnerActive } from './partner-access.handler.js';

@ApiTags('partners')
@Controller('v1/partners')
export class PartnerAccessController {
  constructor(
    private readonly commands: CommandBus,
    private readonly partners: PartnersQuery,
  ) {}

  @Post(':id/api-key/rotate')
  @HttpCode(200)
  @Auth('admin')
  @ApiOkResponse({ type: CreatedPartnerResponse, description: 'the partner with a new one-time partnerApiKey; the old key stops working at once' })
  @ApiNotFoundResponse()
  async rotate(@Caller() caller: AdminPrincipal, @Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<CreatedPartnerResponse> {
    const { partnerApiKey } = await this.commands.execute(new RotatePartnerKey(caller.companyId, id));
    res.setHeader('Cache-Control', 'no-store');
    return { ...(await this.partners.get(caller.companyId, id)), partnerApiKey };
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @Auth('admin')
  @ApiOkResponse({ type: PartnerResponse, description: 'no portal access and no new commissions from now on; history stays' })
  @ApiNotFoundResponse()
  async deactivate(@Caller() caller: AdminPrincipal, @Param('id') id: string): Promise<PartnerResponse> {
    await this.commands.execute(new SetPartnerActive(caller.companyId, id, false));
    return this.partners.get(caller.companyId, id);
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @Auth('admin')
  @ApiOkResponse({ type: PartnerResponse, description: 'portal access again (with its current key); later payments earn again' })
  @ApiNotFoundResponse()
  async reactivate(@Caller() caller: AdminPrincipal, @Param('id') id: string): Promise<PartnerResponse> {
    await this.commands.execute(new SetPartnerActive(caller.companyId, id, true));
    return this.partners.get(caller.companyId, id);
  }
}
