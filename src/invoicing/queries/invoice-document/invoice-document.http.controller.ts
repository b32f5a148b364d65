import { Controller, Get, Headers, Inject, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Auth, Caller, type AdminPrincipal, type PartnerPrincipal } from '../../../../libs/http/auth.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import { decryptSecret } from '../../../../libs/crypto/secrets.js';
import type { AppConfig } from '../../../../libs/config/config.js';
import { CONFIG } from '../../../core/tokens.js';
import { CompaniesQuery } from '../../../companies/index.js';
import { PartnersQuery } from '../../../partners/index.js';
import { InvoicesQuery } from '../invoices/invoices.query.js';
import { renderHtml, renderPdf, type InvoiceDocument } from './invoice-document.js';
import type { InvoiceResponse } from '../../invoice.response.js';

@ApiTags('invoices')
@Controller('v1')
export class InvoiceDocumentController {
  constructor(
    private readonly invoices: InvoicesQuery,
    private readonly companies: CompaniesQuery,
    private readonly partners: PartnersQuery,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('invoices/:id/document')
  @Auth('admin')
  @ApiProduces('application/pdf', 'text/html')
  @ApiOkResponse({
    description: 'the invoice as PDF, or HTML with `Accept: text/html`; shows the partner’s bank details in full',
    schema: { type: 'string', format: 'binary' },
  })
  async document(
    @Caller() caller: AdminPrincipal,
    @Param('id') id: string,
    @Headers('accept') accept: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    await this.send(caller.companyId, id, accept, res);
  }

  @Get('portal/invoices/:id/document')
  @Auth('partner')
  @ApiProduces('application/pdf', 'text/html')
  @ApiOkResponse({ description: 'one of the partner’s own invoices, as PDF or (with `Accept: text/html`) HTML', schema: { type: 'string', format: 'binary' } })
  async portalDocument(
    @Caller() caller: PartnerPrincipal,
    @Param('id') id: string,
    @Headers('accept') accept: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const invoice = await this.invoices.get(caller.companyId, id);
    if (invoice.partnerId !== caller.partnerId) throw notFound('invoice', id);
    await this.send(caller.companyId, id, accept, res, invoice);
  }

  private async send(companyId: string, id: string, accept: string | undefined, res: Response, known?: InvoiceResponse): Promise<void> {
    const row = await this.invoices.row(companyId, id);
    const invoice = known ?? (await this.invoices.get(companyId, id));
    const partner = await this.partners.row(companyId, invoice.partnerId);
    // An approved invoice is paid to the details it was approved with; before approval (or approved without any, or
    // before approvals kept them) to the partner's current ones.
    const bankDetailsEncrypted = row.bank_details_encrypted ?? partner?.bank_details_encrypted ?? null;
    const doc: InvoiceDocument = {
      invoice,
      company: { name: (await this.companies.get(companyId)).name },
      partner: { name: partner?.name ?? invoice.partnerId, email: partner?.email ?? '' },
      bankDetails: bankDetailsEncrypted ? JSON.parse(decryptSecret(bankDetailsEncrypted, this.config.encryptionKey)) : null,
    };
    res.setHeader('Cache-Control', 'no-store');
    if (accept?.includes('text/html')) {
      res.type('text/html').send(renderHtml(doc));
      return;
    }
    const pdf = await renderPdf(doc);
    res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="${invoice.number}.pdf"`);
    res.send(pdf);
  }
}
