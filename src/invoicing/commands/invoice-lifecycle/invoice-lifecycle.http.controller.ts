import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { invalid } from '../../../../libs/http/domain-error.js';
import { isWellFormed } from '../../../currency/index.js';
import { InvoicesQuery } from '../../queries/invoices/invoices.query.js';
import { InvoiceResponse } from '../../invoice.response.js';
import { ApproveInvoice, MarkInvoicePaid, VoidInvoice } from './invoice-lifecycle.handler.js';
import { NotBlank } from '../../../../libs/http/validation.js';

class MarkPaidRequest {
  @ApiProperty({ example: 'SEPA 2025-04-02 #8812', description: 'the reference of the payment made outside Partnerflow' })
  @IsString()
  @IsNotEmpty()
  @NotBlank()
  @MaxLength(200)
  reference!: string;
}

const illegal = 'illegal transition: problem+json with `currentStatus`';

@ApiTags('invoices')
@Controller('v1/invoices')
export class InvoiceLifecycleController {
  constructor(
    private readonly commands: CommandBus,
    private readonly invoices: InvoicesQuery,
  ) {}

  @Post(':id/approve')
  @HttpCode(200)
  @Auth('admin')
  @ApiOkResponse({ type: InvoiceResponse })
  @ApiConflictResponse({ description: illegal })
  async approve(@Caller() caller: AdminPrincipal, @Param('id') id: string): Promise<InvoiceResponse> {
    await this.commands.execute(new ApproveInvoice(caller.companyId, id));
    return this.invoices.get(caller.companyId, id);
  }

  @Post(':id/mark-paid')
  @HttpCode(200)
  @Auth('admin')
  @ApiOkResponse({ type: InvoiceResponse })
  @ApiConflictResponse({ description: illegal })
  async markPaid(@Caller() caller: AdminPrincipal, @Param('id') id: string, @Body() body: MarkPaidRequest): Promise<InvoiceResponse> {
    if (!isWellFormed(body.reference)) throw invalid('reference', 'reference must be valid Unicode text');
    await this.commands.execute(new MarkInvoicePaid(caller.companyId, id, body.reference.trim()));
    return this.invoices.get(caller.companyId, id);
  }

  @Post(':id/void')
  @HttpCode(200)
  @Auth('admin')
  @ApiOkResponse({ type: InvoiceResponse, description: 'its commissions become payable again' })
  @ApiConflictResponse({ description: illegal })
  async void(@Caller() caller: AdminPrincipal, @Param('id') id: string): Promise<InvoiceResponse> {
    await this.commands.execute(new VoidInvoice(caller.companyId, id));
    return this.invoices.get(caller.companyId, id);
  }
}
