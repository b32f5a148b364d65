import { Body, Controller, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Caller, type PartnerPrincipal } from '../../../../libs/http/auth.js';
import { PartnerResponse, PartnersQuery } from '../../../partners/index.js';
import { BankDetailsRequest } from './set-bank-details.request.dto.js';
import { SetBankDetails } from '../../../partners/index.js';

@ApiTags('portal')
@Controller('v1/portal/bank-details')
export class BankDetailsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly partners: PartnersQuery,
  ) {}

  @Patch()
  @Auth('partner')
  @ApiOkResponse({ type: PartnerResponse, description: 'the partner, bank details masked; stored encrypted, shown in full only on invoice documents' })
  async set(@Caller() caller: PartnerPrincipal, @Body() body: BankDetailsRequest): Promise<PartnerResponse> {
    await this.commands.execute(new SetBankDetails(caller.companyId, caller.partnerId, { ...body }));
    return this.partners.get(caller.companyId, caller.partnerId);
  }
}
