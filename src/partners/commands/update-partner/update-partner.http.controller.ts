import { Body, Controller, Param, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { UpdatePartnerRequest } from './update-partner.request.dto.js';
import { UpdatePartner } from './update-partner.handler.js';
import { PartnersQuery } from '../../queries/partners/partners.query.js';
import { normalizePromotionCode } from '../../domain/partner.js';
import { PartnerResponse } from '../../partner.response.js';
import { toCommissionPlan } from '../../../shared-kernel/commission-plan.dto.js';
import { normalizeCurrencyField } from '../../../../libs/http/currency-field.js';

@ApiTags('partners')
@Controller('v1/partners')
export class UpdatePartnerController {
  constructor(
    private readonly commands: CommandBus,
    private readonly partners: PartnersQuery,
  ) {}

  @Patch(':id')
  @Auth('admin')
  @ApiOkResponse({ type: PartnerResponse })
  async update(@Caller() caller: AdminPrincipal, @Param('id') id: string, @Body() body: UpdatePartnerRequest): Promise<PartnerResponse> {
    await this.commands.execute(
      new UpdatePartner(caller.companyId, id, {
        name: body.name?.trim(),
        email: body.email?.trim(),
        currency: body.currency === undefined ? undefined : normalizeCurrencyField(body.currency),
        commissionPlan: body.commissionPlan === undefined ? undefined : body.commissionPlan === null ? null : toCommissionPlan(body.commissionPlan),
        promotionCodes: body.promotionCodes && [...new Set(body.promotionCodes.map(normalizePromotionCode))].sort(),
      }),
    );
    return this.partners.get(caller.companyId, id);
  }
}
