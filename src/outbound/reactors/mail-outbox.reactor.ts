import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../../../libs/config/config.js';
import type { RecordedEvent } from '../../../libs/event-store/event-store.port.js';
import type { Reactor } from '../../../libs/event-store/subscriptions.js';
import { readSql } from '../../../libs/database/sql.js';
import { CLOCK, CONFIG, ORM } from '../../core/tokens.js';
import type { Clock } from '../../../libs/event-store/command-handling.js';
import { CompaniesQuery, type CompanyView, type NotificationKind } from '../../companies/index.js';
import { INVOICES_PROJECTION, InvoicesQuery, type InvoicePaymentFailed } from '../../invoicing/index.js';
import { PARTNERS_PROJECTION, PartnersQuery } from '../../partners/index.js';
import { PAYMENTS_PROJECTION, PaymentsQuery } from '../../attribution/index.js';
import { isSwitchedOff, renderMail, type MailData } from '../domain/mail-templates.js';
import { RETRY_WINDOW_MS } from '../domain/retry-schedule.js';
import type { WebhookEndpointDisabled } from '../domain/webhook-endpoint.js';
import { recordMails, type MailToRecord } from '../jobs/mail-sender/mail-outbox.js';
import { MailSender } from '../jobs/mail-sender/mail-sender.job.js';
import { ReadModels } from './read-models.js';
import { isEventOf } from '../../../libs/event-store/aggregate.js';

const INVOICE_MAILS: Record<string, NotificationKind> = {
  InvoiceApproved: 'invoice_approved',
  InvoicePaid: 'invoice_paid',
  InvoicePaymentFailed: 'invoice_payment_failed',
};
const TYPES = new Set([...Object.keys(INVOICE_MAILS), 'PaymentUnattributed', 'WebhookEndpointDisabled']);
/** Older news is not mailed: a first start of this reactor (or of SMTP) on a long history must not mail it all. */
export const MAIL_HORIZON_MS = RETRY_WINDOW_MS;
const isPaymentFailed = isEventOf<InvoicePaymentFailed>()('InvoicePaymentFailed');
const isEndpointDisabled = isEventOf<WebhookEndpointDisabled>()('WebhookEndpointDisabled');

/**
 * The mail outbox: invoice approved / paid / payment failed to the partner, payout failures and disabled webhook
 * endpoints to the company's admins (`notifications.adminEmails`), new unattributed payments into the day's digest
 * (jobs/unattributed-digest.job.ts). Kinds in `notifications.disabled` are skipped. Written idempotently (keyed by
 * the event and recipient) before the checkpoint moves, so a crash loses no mail and a replay doubles none.
 * Without SMTP_URL it records nothing (and moves on), and events older than MAIL_HORIZON_MS are not mailed.
 */
@Injectable()
export class MailOutboxReactor implements Reactor {
  readonly name = 'outbound_mail';
  readonly concurrency = 8;

  constructor(
    @Inject(ORM) private readonly orm: MikroORM,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly readModels: ReadModels,
    private readonly companies: CompaniesQuery,
    private readonly invoices: InvoicesQuery,
    private readonly partners: PartnersQuery,
    private readonly payments: PaymentsQuery,
    private readonly sender: MailSender,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  partitionKey(event: RecordedEvent): string | undefined {
    return TYPES.has(event.type) ? event.streamId : undefined;
  }

  async react(event: RecordedEvent): Promise<void> {
    if (!TYPES.has(event.type) || !this.sender.enabled || this.clock.now().getTime() - event.occurredAt.getTime() > MAIL_HORIZON_MS) return;
    const companyId = (event.data as { companyId: string }).companyId;
    const company = await this.companies.find(companyId);
    if (!company) return;
    const key = `${event.streamId}@${event.version}`;
    const mails: MailToRecord[] = [];
    const mail = (kind: NotificationKind, recipients: string[], data: MailData) => {
      if (isSwitchedOff(kind, company.notifications.disabled)) return;
      const message = renderMail(data);
      for (const recipient of recipients) mails.push({ key: `${kind}:${key}:${recipient.toLowerCase()}`, companyId, kind, recipient, message });
    };

    if (event.type in INVOICE_MAILS) {
      await this.readModels.at(event.checkpoint, [INVOICES_PROJECTION, PARTNERS_PROJECTION], false);
      const invoice = await this.invoices.get(companyId, (event.data as { invoiceId: string }).invoiceId);
      const partner = await this.partners.get(companyId, invoice.partnerId);
      const base = {
        companyName: company.name,
        partnerName: partner.name,
        invoiceNumber: invoice.number,
        total: { amount: invoice.total, currency: invoice.currency },
      };
      const kind = INVOICE_MAILS[event.type]!;
      if (kind === 'invoice_payment_failed' && isPaymentFailed(event)) {
        const reason = event.data.reason;
        mail(kind, [partner.email], { kind, ...base, reason });
        mail('payout_failed', company.notifications.adminEmails, { kind: 'payout_failed', ...base, reason });
      } else {
        mail(kind, [partner.email], { kind, ...base } as MailData);
      }
    } else if (isEndpointDisabled(event)) {
      const d = event.data;
      mail('webhook_endpoint_disabled', company.notifications.adminEmails, {
        kind: 'webhook_endpoint_disabled',
        companyName: company.name,
        url: d.url,
        reason: d.reason,
        disabledAt: d.disabledAt,
      });
    } else if (event.type === 'PaymentUnattributed') {
      await this.collectForDigest(company, event);
      return;
    }
    await recordMails(readSql(this.orm), mails, this.config.encryptionKey, this.clock.now());
    if (mails.length) this.sender.wake();
  }

  /** An unattributed payment waits for its day's digest, under the UTC day it was paid. */
  private async collectForDigest(company: CompanyView, event: RecordedEvent): Promise<void> {
    if (isSwitchedOff('unattributed_digest', company.notifications.disabled) || company.notifications.adminEmails.length === 0) return;
    await this.readModels.at(event.checkpoint, [PAYMENTS_PROJECTION], false);
    const payment = await this.payments.get(company.id, (event.data as { paymentId: string }).paymentId);
    await readSql(this.orm).query(
      `insert into mail_digest_items (company_id, day, payment_id, amount, currency, email, paid_at) values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing`,
      [company.id, event.occurredAt.toISOString().slice(0, 10), payment.id, payment.amount, payment.currency, payment.email, payment.paidAt],
    );
  }
}
