import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import Stripe from 'stripe';
import type { AppConfig } from '../../../libs/config/config.js';
import type { RecordedEvent } from '../../../libs/event-store/event-store.port.js';
import type { Reactor } from '../../../libs/event-store/subscriptions.js';
import { readSql } from '../../../libs/database/sql.js';
import type { Logger } from '../../../libs/logging/logger.js';
import { createStripeClient } from '../../../libs/stripe/stripe-client.js';
import { withStripeRetries } from '../../../libs/stripe/retry.js';
import { CLOCK, CONFIG, LOGGER, ORM } from '../../core/tokens.js';
import type { Clock } from '../../../libs/event-store/command-handling.js';
import { CompaniesQuery } from '../../companies/index.js';
import type { LeadCustomerLinked, PaymentAttributed } from '../../attribution/index.js';
import { isEventOf } from '../../../libs/event-store/aggregate.js';

/** Where a write-back ended: only `pending` is tried again (by the reactor's retries, then the parked event's retry). */
export type WriteBackStatus = 'pending' | 'succeeded' | 'permission_denied' | 'key_rejected' | 'customer_missing' | 'no_api_key';

type Link = { companyId: string; customerId: string; leadId: string; partnerId: string };

const isLinking = isEventOf<PaymentAttributed | LeadCustomerLinked>()('PaymentAttributed', 'LeadCustomerLinked');

function linkOf(event: RecordedEvent): Link | undefined {
  if (!isLinking(event)) return undefined;
  if (event.type === 'PaymentAttributed') {
    const d = event.data;
    return d.customerId ? { companyId: d.companyId, customerId: d.customerId, leadId: d.leadId, partnerId: d.partnerId } : undefined;
  }
  const d = event.data;
  return { companyId: d.companyId, customerId: d.customerId, leadId: d.leadId, partnerId: d.partnerId };
}

/**
 * Stripe write-back (company setting `stripeWriteBack`): when a customer is attributed, its Stripe metadata gets
 * `partnerflow_partner_id` and `partnerflow_lead_id`, with the company's own key, so the referral shows in the
 * company's Stripe dashboard. createOnce's shape: the intent is recorded with its idempotency key (one per
 * company, customer and lead) before Stripe is called, so a crash or replay resends the same request, which Stripe
 * replays; 429 and 5xx are retried. A key without write access to customers is recorded as `permission_denied` with
 * Stripe's message (GET /v1/stripe-write-backs) and not retried. Attributions before the setting was on are not written.
 */
@Injectable()
export class StripeWriteBackReactor implements Reactor {
  readonly name = 'outbound_stripe_write_back';
  readonly concurrency = 4;

  constructor(
    @Inject(ORM) private readonly orm: MikroORM,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly companies: CompaniesQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  partitionKey(event: RecordedEvent): string | undefined {
    const link = linkOf(event);
    return link && `${link.companyId}:${link.customerId}`;
  }

  async react(event: RecordedEvent): Promise<void> {
    const link = linkOf(event);
    if (!link) return;
    const company = await this.companies.find(link.companyId);
    if (!company?.stripeWriteBack) return;
    const sql = readSql(this.orm);
    const idempotencyKey = `pf_wb_${createHash('sha256').update(`${link.companyId}:${link.customerId}:${link.leadId}`).digest('hex').slice(0, 32)}`;
    const now = this.clock.now();
    await sql.query(
      `insert into stripe_write_backs (company_id, customer_id, lead_id, partner_id, status, idempotency_key, created_at, updated_at)
       values ($1, $2, $3, $4, 'pending', $5, $6, $6) on conflict do nothing`,
      [link.companyId, link.customerId, link.leadId, link.partnerId, idempotencyKey, now],
    );
    const [row] = await sql.query<{ status: WriteBackStatus }>(
      'select status from stripe_write_backs where company_id = $1 and customer_id = $2 and lead_id = $3',
      [link.companyId, link.customerId, link.leadId],
    );
    if (row?.status !== 'pending') return;
    const finish = (status: WriteBackStatus, error: string | null) =>
      sql.query(
        'update stripe_write_backs set status = $4, last_error = $5, attempts = attempts + 1, updated_at = $6 where company_id = $1 and customer_id = $2 and lead_id = $3',
        [link.companyId, link.customerId, link.leadId, status, error, this.clock.now()],
      );
    const { apiKey } = await this.companies.stripeSecrets(link.companyId);
    if (!apiKey)
      return void (await finish(
        'no_api_key',
        'stripeWriteBack is on but the company has no Stripe API key: PUT /v1/company/stripe with apiKey (customer write access)',
      ));
    const stripe = createStripeClient({ secretKey: apiKey, apiBase: this.config.stripeApiBase });
    try {
      await withStripeRetries(() =>
        stripe.customers.update(
          link.customerId,
          { metadata: { partnerflow_partner_id: link.partnerId, partnerflow_lead_id: link.leadId } },
          { idempotencyKey },
        ),
      );
      await finish('succeeded', null);
    } catch (e) {
      const status: WriteBackStatus | undefined =
        e instanceof Stripe.errors.StripePermissionError
          ? 'permission_denied'
          : e instanceof Stripe.errors.StripeAuthenticationError
            ? 'key_rejected'
            : e instanceof Stripe.errors.StripeInvalidRequestError && e.code === 'resource_missing'
              ? 'customer_missing'
              : undefined;
      const message = e instanceof Error ? e.message : String(e);
      await finish(status ?? 'pending', message);
      if (!status) throw e;
      this.log.warn({ companyId: link.companyId, customerId: link.customerId, status, reason: message }, 'stripe write-back refused');
    }
  }
}
