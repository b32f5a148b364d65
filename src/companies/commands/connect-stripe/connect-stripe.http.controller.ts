import { Body, Controller, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { ConnectStripeRequest } from './connect-stripe.request.dto.js';
import { ConnectCompanyStripe } from './connect-stripe.handler.js';
import { CompaniesQuery } from '../../queries/companies/companies.query.js';
import { CompanyResponse } from '../../company.response.js';

@ApiTags('company')
@Controller('v1/company/stripe')
export class ConnectStripeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly companies: CompaniesQuery,
  ) {}

  @Put()
  @Auth('admin')
  @ApiOkResponse({ type: CompanyResponse, description: 'the company; secrets are never returned' })
  async connect(@Caller() caller: AdminPrincipal, @Body() body: ConnectStripeRequest): Promise<CompanyResponse> {
    await this.commands.execute(new ConnectCompanyStripe(caller.companyId, body.webhookSecret, body.apiKey));
    return this.companies.get(caller.companyId);
  }
}
