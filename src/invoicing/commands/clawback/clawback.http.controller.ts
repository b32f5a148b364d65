import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { DomainError, notFound } from '../../../../libs/http/domain-error.js';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { isResourceId } from '../../../shared-kernel/resource-id.js';
import { PartnersQuery } from '../../../partners/index.js';
import { InvoiceRunService } from '../generate-invoices/invoice-run.service.js';
import { InvoicesQuery } from '../../queries/invoices/invoices.query.js';
import { InvoiceResponse } from '../../invoice.response.js';

/**
 * The clawback path for a negative balance no future earning covers (reversals of paid commissions). The balance is
 * normally netted on the partner's next invoice; when none will come, the admin issues a clawback statement: an
 * invoice of kind `clawback` with the negative total of the partner's open commissions. Approve it, then mark it paid
 * with the reference of the partner's repayment (the ledger moves the amount out of `paid`), or void it to keep the
 * balance open.
 */
@ApiTags('invoices')
@Controller('v1/partners')
export class ClawbackController {
  constructor(
    private readonly runs: InvoiceRunService,
    private readonly invoices: InvoicesQuery,
    private readonly partners: PartnersQuery,
    private readonly es: EventSourcing,
  ) {}

  @Post(':id/clawback')
  @HttpCode(201)
  @Auth('admin')
  @ApiCreatedResponse({ type: InvoiceResponse, description: 'the clawback statement (status pending_approval, negative total)' })
  @ApiUnprocessableEntityResponse({ description: '`nothing_to_claw_back`: the partner’s open balance is not negative' })
  async clawback(@Caller() caller: AdminPrincipal, @Param('id') id: string): Promise<InvoiceResponse> {
    if (!isResourceId(id)) throw notFound('partner', id);
    await this.partners.get(caller.companyId, id);
    const result = (await this.runs.generate(caller.companyId, { clawback: true, partnerIds: [id] }))!;
    const created = result.created[0];
    if (!created) {
      const reason = result.skipped[0];
      throw new DomainError(
        422,
        'nothing_to_claw_back',
        `The partner owes nothing: ${reason?.detail ?? 'no open commissions'}. A positive balance is paid by the invoice schedule.`,
      );
    }
    await this.es.settle(result.checkpoint);
    return this.invoices.get(caller.companyId, created.invoiceId);
  }
}
