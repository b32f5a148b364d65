import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { InvoiceResponse, InvoicesQuery } from '../../../invoicing/index.js';
import { PayInvoice } from './pay-invoice.handler.js';
import { resourceId } from '../../resource-id.js';

@ApiTags('invoices')
@Controller('v1/invoices')
export class PayInvoiceController {
  constructor(
    private readonly commands: CommandBus,
    private readonly invoices: InvoicesQuery,
  ) {}

  @Post(':id/pay')
  @HttpCode(200)
  @Auth('admin')
  @ApiOkResponse({ type: InvoiceResponse, description: 'the invoice after the attempt: processing, paid, or payment_failed with a failureReason' })
  @ApiConflictResponse({ description: 'the invoice cannot be paid now (`currentStatus`), or the company card / partner account is missing (`fix`)' })
  @ApiServiceUnavailableResponse({ description: 'Stripe unreachable; the attempt stays processing and is retried with the same idempotency key' })
  async pay(@Caller() caller: AdminPrincipal, @Param('id') id: string): Promise<InvoiceResponse> {
    await this.commands.execute(new PayInvoice(caller.companyId, resourceId('invoice', id)));
    return this.invoices.get(caller.companyId, id);
  }
}
