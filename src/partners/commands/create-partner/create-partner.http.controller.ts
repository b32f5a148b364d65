import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { PageQuery, pageLimit } from '../../../../libs/http/pagination.js';
import { CreatePartnerRequest } from './create-partner.request.dto.js';
import { CreatePartner } from './create-partner.handler.js';
import { PartnersQuery } from '../../queries/partners/partners.query.js';
import { CreatedPartnerResponse, PartnerListResponse, PartnerResponse } from '../../partner.response.js';
import { toCommissionPlan } from '../../../shared-kernel/commission-plan.dto.js';
import { normalizeCurrencyField } from '../../../../libs/http/currency-field.js';
import { IsEmail, IsOptional } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';

class ListPartnersQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  email?: string;
}

@ApiTags('partners')
@Controller('v1/partners')
export class PartnersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly partners: PartnersQuery,
  ) {}

  @Post()
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @Auth('admin')
  @ApiCreatedResponse({ type: CreatedPartnerResponse })
  async create(@Caller() caller: AdminPrincipal, @Body() body: CreatePartnerRequest): Promise<CreatedPartnerResponse> {
    const plan = body.commissionPlan ? toCommissionPlan(body.commissionPlan) : null;
    const { partnerId, partnerApiKey } = await this.commands.execute(
      new CreatePartner(caller.companyId, body.name, body.email, normalizeCurrencyField(body.currency), plan),
    );
    return { ...(await this.partners.get(caller.companyId, partnerId)), partnerApiKey };
  }

  @Get()
  @Auth('admin')
  @ApiOkResponse({ type: PartnerListResponse })
  list(@Caller() caller: AdminPrincipal, @Query() q: ListPartnersQuery): Promise<PartnerListResponse> {
    return this.partners.list(caller.companyId, q.cursor, pageLimit(q), { email: q.email });
  }

  @Get(':id')
  @Auth('admin')
  @ApiOkResponse({ type: PartnerResponse })
  get(@Caller() caller: AdminPrincipal, @Param('id') id: string): Promise<PartnerResponse> {
    return this.partners.get(caller.companyId, id);
  }
}
