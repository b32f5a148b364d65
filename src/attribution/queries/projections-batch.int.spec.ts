import { describe, it, expect, afterAll } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase } from '../../../test/support/database.js';
import { openOrm } from '../../../libs/database/orm.js';
import { inTransaction, readSql } from '../../../libs/database/sql.js';
import type { RecordedEvent } from '../../../libs/event-store/event-store.port.js';
import type { Projection } from '../../../libs/event-store/subscriptions.js';
import { migrations } from '../../migrations.js';
import { paymentsProjection } from './payments/payments.projection.js';
import { leadsProjection } from './leads/leads.projection.js';
import { applyInRuns } from '../../../test/support/projection-batch.js';

let position = 0;
const event = (streamId: string, type: string, data: object): RecordedEvent =>
  ({
    streamId,
    type,
    data,
    version: 1,
    globalPosition: ++position,
    checkpoint: `1/${position}`,
    occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, position)),
    schemaVersion: 1,
    metadata: {},
  }) as RecordedEvent;

const co = 'co_1';
const recorded = (n: number) =>
  event(`payment-${co}-py_${n}`, 'PaymentRecorded', {
    paymentId: `py_${n}`,
    companyId: co,
    stripeObjectId: `in_${n}`,
    chargeId: `ch_${n}`,
    paymentIntentId: null,
    invoiceId: `in_${n}`,
    customerId: `cus_${n % 3}`,
    email: `c${n}@example.com`,
    amount: 1000 * n,
    tax: 10 * n,
    net: 990 * n,
    currency: 'usd',
    paidAt: '2025-01-01T00:00:00.000Z',
    stripeEventId: `evt_${n}`,
  });
const attributed = (n: number, partnerId = 'pa_1') =>
  event(`payment-${co}-py_${n}`, 'PaymentAttributed', {
    paymentId: `py_${n}`,
    companyId: co,
    leadId: `ld_${n % 3}`,
    partnerId,
    method: 'customer_id',
    trace: [`customer cus_${n % 3}`],
    customerId: `cus_${n % 3}`,
    amount: 1000 * n,
    tax: 10 * n,
    net: 990 * n,
    currency: 'usd',
    paidAt: '2025-01-01T00:00:00.000Z',
  });
const unattributed = (n: number) => event(`payment-${co}-py_${n}`, 'PaymentUnattributed', { paymentId: `py_${n}`, companyId: co, trace: ['no lead'] });
const refunded = (n: number, total: number) =>
  event(`payment-${co}-py_${n}`, 'PaymentRefunded', {
    paymentId: `py_${n}`,
    companyId: co,
    reversalId: `re_${n}_${total}`,
    reason: 'refund',
    amount: total,
    refundedTotal: total,
    currency: 'usd',
    occurredAt: '2025-01-02T00:00:00.000Z',
  });
const lead = (n: number) =>
  event(`lead-${co}-ld_${n}`, 'LeadCreated', { leadId: `ld_${n}`, companyId: co, partnerId: 'pa_1', email: `Lead${n}@Example.com`, name: null });
const linked = (n: number) => event(`lead-${co}-ld_${n}`, 'LeadCustomerLinked', { leadId: `ld_${n}`, companyId: co, customerId: `cus_${n}` });
const other = () => event(`company-${co}`, 'CompanySettingsChanged', { companyId: co });

/** Runs of events, each run as one page: later runs touch rows an earlier run wrote. */
const runs: RecordedEvent[][] = [
  [lead(0), recorded(1), attributed(1), recorded(2), unattributed(2), linked(0), lead(1), recorded(3), refunded(3, 100)],
  // py_1 recorded again (a replayed duplicate: the insert finds the row), then changed in the same run
  [
    recorded(1),
    refunded(1, 500),
    attributed(2, 'pa_2'),
    other(),
    refunded(3, 3000),
    lead(2),
    linked(1),
    linked(2),
    recorded(4),
    attributed(4),
    unattributed(4),
    refunded(4, 4000),
  ],
  [unattributed(1), recorded(5), other(), attributed(5), linked(7)],
];

async function dump(orm: MikroORM, projections: Projection[]) {
  const sql = readSql(orm);
  const out: Record<string, unknown[]> = {};
  for (const table of projections.flatMap((p) => p.tables)) out[table] = await sql.query(`select * from ${table} order by 1`);
  return out;
}

describe('set-based attribution projection batches', () => {
  const orms: MikroORM[] = [];
  afterAll(() => Promise.all(orms.map((o) => o.close())));

  it('leave payments and leads exactly as applying each event in order', async () => {
    const projections: Projection[] = [paymentsProjection, leadsProjection];
    const [one, batched] = await Promise.all([0, 1].map(async () => openOrm(await createTestDatabase(), migrations)));
    orms.push(one!, batched!);
    for (const p of projections) {
      for (const page of runs) {
        await inTransaction(one!, async (sql) => {
          for (const e of page) await p.apply(e, sql);
        });
        await inTransaction(batched!, (sql) => applyInRuns(p, page, sql));
      }
    }
    const expected = await dump(one!, projections);
    expect(await dump(batched!, projections)).toEqual(expected);
    const summary = (expected.payments as { id: string; attribution_status: string; partner_id: string | null; refunded_amount: string }[]).map((r) => [
      r.id,
      r.attribution_status,
      r.partner_id,
      String(r.refunded_amount),
    ]);
    expect(summary).toEqual([
      ['py_1', 'unattributed', null, '500'],
      ['py_2', 'attributed', 'pa_2', '0'],
      ['py_3', 'unattributed', null, '3000'],
      ['py_4', 'unattributed', null, '4000'],
      ['py_5', 'attributed', 'pa_1', '0'],
    ]);
    expect((expected.leads as { id: string; stripe_customer_id: string | null }[]).map((r) => [r.id, r.stripe_customer_id])).toEqual([
      ['ld_0', 'cus_0'],
      ['ld_1', 'cus_1'],
      ['ld_2', 'cus_2'],
    ]);
  });
});
