import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import fc from 'fast-check';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase } from '../../../../test/support/database.js';
import { applyInRuns } from '../../../../test/support/projection-batch.js';
import { openOrm } from '../../../../libs/database/orm.js';
import { inTransaction, readSql } from '../../../../libs/database/sql.js';
import type { RecordedEvent } from '../../../../libs/event-store/event-store.port.js';
import { migrations } from '../../../migrations.js';
import { funnelProjection } from './funnel.projection.js';
import type { Projection } from '../../../../libs/event-store/subscriptions.js';

/** As the runner sees it: `apply` given the events of a log, as `applyInRuns` does. */
const anyEvent: Projection = funnelProjection;

const co = 'co_1';
const day = (d: number) => new Date(Date.UTC(2025, 0, 1 + d, 12)).toISOString();
const partnerOf = (lead: number) => `pa_${lead % 2}`;

/** One event of the funnel's types over a few leads, payments and days, so runs hit the same rows again. */
const anEvent = fc.oneof(
  fc.record({ k: fc.constant('click' as const), lead: fc.nat(3), d: fc.nat(2) }),
  fc.record({ k: fc.constant('lead' as const), lead: fc.nat(3), d: fc.nat(2) }),
  fc.record({ k: fc.constant('linked' as const), lead: fc.nat(3), d: fc.nat(2) }),
  fc.record({ k: fc.constant('claimed' as const), lead: fc.nat(3), d: fc.nat(2), anonymous: fc.boolean() }),
  fc.record({ k: fc.constant('paid' as const), pay: fc.nat(4), lead: fc.nat(3), d: fc.nat(2), refunded: fc.constantFrom(0, 0, 300) }),
  fc.record({ k: fc.constant('refund' as const), pay: fc.nat(4), total: fc.constantFrom(100, 500, 1000), d: fc.nat(2) }),
  fc.record({
    k: fc.constant('earned' as const),
    lead: fc.nat(3),
    amount: fc.constantFrom(0, 100, 250),
    d: fc.nat(2),
    kind: fc.constantFrom('payment', 'payment', 'reversal'),
  }),
  fc.record({ k: fc.constant('reversed' as const), lead: fc.nat(3), amount: fc.constantFrom(100, 250), d: fc.nat(2) }),
);
type Spec = typeof anEvent extends fc.Arbitrary<infer T> ? T : never;

function toEvent(s: Spec, position: number): RecordedEvent {
  const occurredAt = new Date(day(s.d));
  const base = { version: 1, globalPosition: position, checkpoint: `1/${position}`, occurredAt, schemaVersion: 1, metadata: {} };
  const leadData = (lead: number) => ({ leadId: `ld_${lead}`, companyId: co, partnerId: partnerOf(lead) });
  const e = (streamId: string, type: string, data: object) => ({ ...base, streamId, type, data }) as RecordedEvent;
  switch (s.k) {
    case 'click':
      return e(`click-${co}-v${s.lead}`, 'ClickRecorded', { clickId: `clk_${position}`, companyId: co, partnerId: partnerOf(s.lead), at: day(s.d) });
    case 'lead':
      return e(`lead-${co}-ld_${s.lead}`, 'LeadCreated', { ...leadData(s.lead), email: `l${s.lead}@example.com`, name: null });
    case 'linked':
      return e(`lead-${co}-ld_${s.lead}`, 'LeadCustomerLinked', { ...leadData(s.lead), customerId: `cus_${s.lead}`, method: 'manual' });
    case 'claimed':
      return e(`checkoutpayment-${co}-pi_${position}`, 'CheckoutPaymentClaimed', {
        ...leadData(s.lead),
        ...(s.anonymous ? { partnerId: undefined } : {}),
        paymentIntentId: `pi_${position}`,
      });
    case 'paid':
      return e(`payment-${co}-py_${s.pay}`, 'PaymentAttributed', {
        ...leadData(s.lead),
        paymentId: `py_${s.pay}`,
        amount: 1000,
        tax: 100,
        net: 900,
        currency: s.pay % 2 ? 'usd' : 'eur',
        paidAt: day(s.d),
        refundedAmount: s.refunded,
      });
    case 'refund':
      return e(`payment-${co}-py_${s.pay}`, 'PaymentRefunded', {
        paymentId: `py_${s.pay}`,
        companyId: co,
        reversalId: `re_${position}`,
        amount: s.total,
        refundedTotal: s.total,
        currency: 'usd',
        occurredAt: day(s.d),
      });
    case 'earned':
      return e(`commission-${co}-cm_${position}`, 'CommissionEarned', {
        commissionId: `cm_${position}`,
        companyId: co,
        partnerId: partnerOf(s.lead),
        kind: s.kind,
        amount: s.amount,
        currency: 'usd',
        paidAt: day(s.d),
      });
    case 'reversed':
      return e(`commission-${co}-cm_${position}`, 'CommissionReversed', {
        commissionId: `cm_${position}`,
        companyId: co,
        partnerId: partnerOf(s.lead),
        amount: s.amount,
        currency: 'usd',
      });
  }
}

describe('funnel projection: set-based runs', () => {
  let one: MikroORM;
  let batched: MikroORM;
  beforeAll(async () => {
    [one, batched] = await Promise.all([0, 1].map(async () => openOrm(await createTestDatabase(), migrations)));
  });
  afterAll(async () => {
    await one?.close();
    await batched?.close();
  });

  const dump = async (orm: MikroORM) => {
    const sql = readSql(orm);
    const out: Record<string, unknown[]> = {};
    // rows in a total order (a key-column order leaves ties, e.g. one day's revenue in two currencies, in any order)
    for (const table of funnelProjection.tables) out[table] = (await sql.query<object>(`select * from ${table}`)).map((r) => JSON.stringify(r)).sort();
    return out;
  };

  it('leave the tables exactly as applying each event in order, however the log is cut into pages', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(anEvent, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 8 }),
        async (specs, cuts) => {
          const events = specs.map((s, i) => toEvent(s, i + 1));
          for (const orm of [one, batched]) await inTransaction(orm, (sql) => sql.query(`truncate ${funnelProjection.tables.join(', ')}`));
          await inTransaction(one, async (sql) => {
            for (const e of events) await anyEvent.apply(e, sql);
          });
          for (let at = 0, c = 0; at < events.length; at += cuts[c++ % cuts.length]!) {
            const page = events.slice(at, at + cuts[c % cuts.length]!);
            await inTransaction(batched, (sql) => applyInRuns(funnelProjection, page, sql));
          }
          expect(await dump(batched)).toEqual(await dump(one));
        },
      ),
      { numRuns: 60 },
    );
  });
});
