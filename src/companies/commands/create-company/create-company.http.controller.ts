import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Auth } from '../../../../libs/http/auth.js';
import { CreateCompanyRequest } from './create-company.request.dto.js';
import { CreateCompany } from './create-company.handler.js';
import { CompaniesQuery } from '../../queries/companies/companies.query.js';
import { CreatedCompanyResponse } from '../../company.response.js';

@ApiTags('operator')
@Controller('v1/companies')
export class CreateCompanyController {
  constructor(
    private readonly commands: CommandBus,
    private readonly companies: CompaniesQuery,
  ) {}

  @Post()
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @Auth('operator')
  @ApiCreatedResponse({ type: CreatedCompanyResponse, description: 'the company and its one-time admin API key' })
  async create(@Body() body: CreateCompanyRequest): Promise<CreatedCompanyResponse> {
    const { companyId, adminApiKey } = await this.commands.execute(new CreateCompany(body.name, body.currency));
    return { ...(await this.companies.get(companyId)), adminApiKey };
  }
}
