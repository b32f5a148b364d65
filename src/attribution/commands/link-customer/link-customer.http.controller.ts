import { Body, Controller, HttpCode, Param, Post, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { LeadsQuery } from '../../queries/leads/leads.query.js';
import { LeadResponse } from '../../lead.response.js';
import { BulkLinkRequest, LinkCustomerRequest } from './link-customer.request.dto.js';
import { LinkLeadCustomer } from './link-customer.handler.js';
import { BulkLinkCustomers, type BulkLinkResult } from '../bulk-link/bulk-link.handler.js';

class LinkedLeadResponse extends LeadResponse {
  @ApiProperty({ description: 'earlier unattributed payments of the customer attributed by this call' }) attributedPayments!: number;
}

class BulkLinkResultResponse {
  @ApiProperty() index!: number;
  @ApiProperty() ok!: boolean;
  @ApiPropertyOptional() leadId?: string;
  @ApiProperty() customerId!: string;
  @ApiPropertyOptional() error?: string;
}

class BulkLinkResponse {
  @ApiProperty({ type: [BulkLinkResultResponse] }) results!: BulkLinkResult[];
}

@ApiTags('leads')
@Controller('v1/leads')
export class LinkCustomerController {
  constructor(
    private readonly commands: CommandBus,
    private readonly es: EventSourcing,
    private readonly leads: LeadsQuery,
  ) {}

  @Put(':id/stripe-customer')
  @Auth('admin')
  @ApiOkResponse({ type: LinkedLeadResponse, description: 'the lead; the same link again is a no-op' })
  @ApiConflictResponse({ description: 'another lead holds this customer id (problem+json)' })
  async link(@Caller() caller: AdminPrincipal, @Param('id') id: string, @Body() body: LinkCustomerRequest): Promise<LinkedLeadResponse> {
    const { attributed, checkpoint } = await this.commands.execute(
      new LinkLeadCustomer(caller.companyId, id, body.customerId, body.attributePastPayments ?? false),
    );
    await this.es.settle(checkpoint);
    return { ...(await this.leads.get(caller.companyId, id)), attributedPayments: attributed };
  }

  @Post('stripe-customers/bulk')
  @HttpCode(200)
  @Auth('admin')
  @ApiOkResponse({ type: BulkLinkResponse, description: 'one result per item, in order' })
  @ApiUnprocessableEntityResponse({ description: 'no items, or more than 1000' })
  async bulk(@Caller() caller: AdminPrincipal, @Body() body: BulkLinkRequest): Promise<BulkLinkResponse> {
    return { results: await this.commands.execute(new BulkLinkCustomers(caller.companyId, body.items, body.attributePastPayments ?? false)) };
  }
}
