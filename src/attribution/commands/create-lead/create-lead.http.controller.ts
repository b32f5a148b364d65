import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';
import { Auth, Caller, type AdminPrincipal, type PartnerPrincipal } from '../../../../libs/http/auth.js';
import { PageQuery, pageLimit } from '../../../../libs/http/pagination.js';
import { CreateLeadRequest } from './create-lead.request.dto.js';
import { CreateLead } from './create-lead.handler.js';
import { LeadsQuery } from '../../queries/leads/leads.query.js';
import { LeadListResponse, LeadResponse } from '../../lead.response.js';

class ListLeadsQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  partnerId?: string;
}

@ApiTags('leads')
@Controller('v1')
export class LeadsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly leads: LeadsQuery,
  ) {}

  @Post('leads')
  @HttpCode(201)
  @Auth('admin')
  @ApiCreatedResponse({ type: LeadResponse })
  async create(@Caller() caller: AdminPrincipal, @Body() body: CreateLeadRequest): Promise<LeadResponse> {
    const { leadId } = await this.commands.execute(
      new CreateLead(caller.companyId, body.partnerId, body.email, body.name ?? null, body.stripeCustomerId ?? null),
    );
    return this.leads.get(caller.companyId, leadId);
  }

  @Get('leads')
  @Auth('admin')
  @ApiOkResponse({ type: LeadListResponse })
  list(@Caller() caller: AdminPrincipal, @Query() q: ListLeadsQuery): Promise<LeadListResponse> {
    return this.leads.list(caller.companyId, { cursor: q.cursor, limit: pageLimit(q), email: q.email, partnerId: q.partnerId });
  }

  @Get('leads/:id')
  @Auth('admin')
  @ApiOkResponse({ type: LeadResponse })
  get(@Caller() caller: AdminPrincipal, @Param('id') id: string): Promise<LeadResponse> {
    return this.leads.get(caller.companyId, id);
  }

  @Get('portal/leads')
  @Auth('partner')
  @ApiOkResponse({ type: LeadListResponse })
  portal(@Caller() caller: PartnerPrincipal, @Query() q: PageQuery): Promise<LeadListResponse> {
    return this.leads.list(caller.companyId, { cursor: q.cursor, limit: pageLimit(q), partnerId: caller.partnerId });
  }
}
