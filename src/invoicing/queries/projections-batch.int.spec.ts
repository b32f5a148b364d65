import { describe, it, expect, afterAll } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase } from '../../../test/support/database.js';
import { openOrm } from '../../../libs/database/orm.js';
import { inTransaction, readSql } from '../../../libs/database/sql.js';
import type { RecordedEvent } from '../../../libs/event-store/event-store.port.js';
import type { Projection } from '../../../libs/event-store/subscriptions.js';
import { migrations } from '../../migrations.js';
import { commissionsProjection, ledgerProjection } from '../../commissions/index.js';
import { invoicesProjection } from './invoices/invoices.projection.js';
import { toInvoiceView, type InvoiceRow } from './invoices/invoices.query.js';
import { applyInRuns } from '../../../test/support/projection-batch.js';

let position = 0;
const event = (streamId: string, version: number, type: string, data: object): RecordedEvent =>
  ({
    streamId,
    type,
    data,
    version,
    globalPosition: ++position,
    checkpoint: `1/${position}`,
    occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, position)),
    schemaVersion: 1,
    metadata: {},
  }) as RecordedEvent;

const co = 'co_1';
const earned = (n: number, partnerId: string) =>
  event(`commission-${co}-cm_${n}`, 1, 'CommissionEarned', {
    commissionId: `cm_${n}`,
    companyId: co,
    partnerId,
    leadId: 'ld_1',
    paymentId: `py_${n}`,
    kind: 'payment',
    amount: 1000 * n,
    currency: n % 2 ? 'usd' : 'eur',
    paidAt: '2024-12-01T00:00:00.000Z',
    payableAt: n === 3 ? '2025-06-01T00:00:00.000Z' : '2024-12-01T00:00:00.000Z',
    holdDays: 0,
    plan: { type: 'percentage', percent: 20 },
    planSource: 'company',
    basis: null,
    conversion: null,
    reversesCommissionId: null,
    reversalId: null,
    reason: null,
  });
const line = (n: number) => ({
  commissionId: `cm_${n}`,
  amount: 1000 * n,
  currency: n % 2 ? 'usd' : 'eur',
  fxRate: null,
  fxRateId: null,
  fxAsOf: null,
  fxSource: null,
  fxInverted: null,
  convertedAmount: 1000 * n,
});
const generated = (invoiceId: string, partnerId: string, sequence: number, lines: number[]) =>
  event(`invoice-${co}-${invoiceId}`, 1, 'InvoiceGenerated', {
    invoiceId,
    companyId: co,
    partnerId,
    number: `INV-${sequence}`,
    sequence,
    currency: 'usd',
    total: 1,
    lines: lines.map(line),
    periodStart: '2025-01-01',
    periodEnd: '2025-01-31',
  });
const numbered = (version: number, invoiceId: string, partnerId: string) =>
  event(`payables-${co}`, version, 'InvoiceNumberAssigned', { companyId: co, invoiceId, partnerId, sequence: version, number: `INV-${version}` });

const history = [
  earned(1, 'pa_1'),
  earned(2, 'pa_1'),
  earned(3, 'pa_2'),
  earned(4, 'pa_2'),
  generated('inv_1', 'pa_1', 1, [1, 2]),
  generated('inv_2', 'pa_2', 2, [4]),
  numbered(1, 'inv_1', 'pa_1'),
  numbered(2, 'inv_2', 'pa_2'),
  event(`invoice-${co}-inv_1`, 2, 'InvoiceVoided', { invoiceId: 'inv_1', companyId: co, partnerId: 'pa_1', commissionIds: ['cm_1', 'cm_2'] }),
  generated('inv_3', 'pa_1', 3, [1, 2]),
  numbered(3, 'inv_3', 'pa_1'),
  event(`commission-${co}-cm_3`, 2, 'CommissionReversed', {
    commissionId: 'cm_3',
    companyId: co,
    partnerId: 'pa_2',
    paymentId: 'py_3',
    reversalId: 're_1',
    reason: 'refund',
    amount: 1000,
    currency: 'usd',
    reversedTotal: 1000,
    remaining: 2000,
    refundedTotal: 5,
    paymentAmount: 15,
    payableAt: '2025-06-01T00:00:00.000Z',
    mode: 'reduced',
    carriedBy: null,
  }),
  event(`invoice-${co}-inv_2`, 2, 'InvoicePaid', {
    invoiceId: 'inv_2',
    companyId: co,
    partnerId: 'pa_2',
    method: 'manual',
    reference: 'r',
    paymentIntentId: null,
    paidAt: '2025-02-01T00:00:00.000Z',
  }),
];

async function dump(orm: MikroORM, projections: Projection[]) {
  const sql = readSql(orm);
  const out: Record<string, unknown[]> = {};
  for (const table of projections.flatMap((p) => p.tables)) out[table] = await sql.query(`select * from ${table} order by 1, 2`);
  return out;
}

describe('set-based projection batches', () => {
  const orms: MikroORM[] = [];
  afterAll(() => Promise.all(orms.map((o) => o.close())));

  it('leave commissions, ledger and invoices exactly as applying each event in order', async () => {
    const projections: Projection[] = [commissionsProjection, ledgerProjection, invoicesProjection];
    const [one, batched] = await Promise.all([0, 1].map(async () => openOrm(await createTestDatabase(), migrations)));
    orms.push(one!, batched!);
    for (const p of projections) {
      await inTransaction(one!, async (sql) => {
        for (const e of history) await p.apply(e, sql);
      });
      await inTransaction(batched!, (sql) => applyInRuns(p, history, sql));
    }
    const expected = await dump(one!, projections);
    expect(await dump(batched!, projections)).toEqual(expected);
    expect(
      expected.commissions!.map((c) => {
        const r = c as { id: string; status: string; invoice_id: string; amount: string };
        return [r.id, r.status, r.invoice_id, String(r.amount)];
      }),
    ).toEqual([
      ['cm_1', 'invoiced', 'inv_3', '1000'],
      ['cm_2', 'invoiced', 'inv_3', '2000'],
      ['cm_3', 'pending', null, '2000'],
      ['cm_4', 'paid', 'inv_2', '4000'],
    ]);
    expect(expected.payables_guards).toEqual([{ company_id: co, version: 3, invoices: 3 }]);
    expect((expected.ledger_entries as { amount: string }[]).reduce((a, r) => a + Number(r.amount), 0)).toBe(0);
  });

  it('read invoices whose lines are recorded compactly as the full lines, in the commissions and ledger too', async () => {
    const projections: Projection[] = [commissionsProjection, ledgerProjection, invoicesProjection];
    const fx = { usd: { rate: '0.9234', rateId: 'fxr_1:eur', asOf: '2025-03-31T00:00:00.000Z', source: 'ecb', inverted: false } };
    const compact = [
      earned(11, 'pa_9'),
      earned(12, 'pa_9'),
      earned(13, 'pa_9'),
      event(`invoice-${co}-inv_9`, 1, 'InvoiceGenerated', {
        invoiceId: 'inv_9',
        companyId: co,
        partnerId: 'pa_9',
        number: 'INV-9',
        sequence: 9,
        currency: 'eur',
        total: 10157 + 12000,
        periodStart: '2025-01-01',
        periodEnd: '2025-01-31',
        lines: [
          { commissionId: 'cm_11', amount: 11000, currency: 'usd', convertedAmount: 10157 },
          { commissionId: 'cm_12', amount: 12000, currency: 'eur' },
        ],
        fx,
      }),
      numbered(9, 'inv_9', 'pa_9'),
      event(`invoice-${co}-inv_10`, 1, 'InvoiceGenerated', {
        invoiceId: 'inv_10',
        companyId: co,
        partnerId: 'pa_9',
        number: 'INV-10',
        sequence: 10,
        currency: 'usd',
        total: 13000,
        periodStart: '2025-02-01',
        periodEnd: '2025-02-28',
        lines: [{ commissionId: 'cm_13', amount: 13000, currency: 'usd' }],
      }),
      numbered(10, 'inv_10', 'pa_9'),
    ];
    const [one, batched] = await Promise.all([0, 1].map(async () => openOrm(await createTestDatabase(), migrations)));
    orms.push(one!, batched!);
    for (const p of projections) {
      await inTransaction(one!, async (sql) => {
        for (const e of compact) await p.apply(e, sql);
      });
      await inTransaction(batched!, (sql) => applyInRuns(p, compact, sql));
    }
    const expected = await dump(one!, projections);
    expect(await dump(batched!, projections)).toEqual(expected);
    expect(
      expected.commissions!.map((c) => {
        const r = c as { id: string; status: string; invoice_id: string };
        return [r.id, r.status, r.invoice_id];
      }),
    ).toEqual([
      ['cm_11', 'invoiced', 'inv_9'],
      ['cm_12', 'invoiced', 'inv_9'],
      ['cm_13', 'invoiced', 'inv_10'],
    ]);
    const invoiced = (expected.ledger_entries as { invoice_id: string | null; account: string; currency: string; amount: string }[]).filter(
      (r) => r.invoice_id && r.account === 'invoiced',
    );
    // invoiced in the invoice's currency: the USD line through the conversion account, at its converted amount
    expect(invoiced.map((r) => [r.invoice_id, r.currency, -Number(r.amount)]).sort()).toEqual([
      ['inv_10', 'usd', 13000],
      ['inv_9', 'eur', 10157],
      ['inv_9', 'eur', 12000],
    ]);
    const conversion = (expected.ledger_entries as { invoice_id: string | null; account: string; currency: string; amount: string }[]).filter(
      (r) => r.account === 'conversion',
    );
    expect(conversion.map((r) => [r.invoice_id, r.currency, Number(r.amount)]).sort()).toEqual([
      ['inv_9', 'eur', 10157],
      ['inv_9', 'usd', -11000],
    ]);
    const view = toInvoiceView((await readSql(one!).query<InvoiceRow>(`select * from invoices where id = 'inv_9'`))[0]!);
    expect(view.lines).toEqual([
      {
        commissionId: 'cm_11',
        amount: 11000,
        currency: 'usd',
        fxRate: '0.9234',
        fxRateId: 'fxr_1:eur',
        fxAsOf: '2025-03-31T00:00:00.000Z',
        fxSource: 'ecb',
        fxInverted: false,
        convertedAmount: 10157,
      },
      {
        commissionId: 'cm_12',
        amount: 12000,
        currency: 'eur',
        fxRate: null,
        fxRateId: null,
        fxAsOf: null,
        fxSource: null,
        fxInverted: null,
        convertedAmount: 12000,
      },
    ]);
    expect(view.total).toBe(view.lines.reduce((a, l) => a + l.convertedAmount, 0));
    expect(toInvoiceView((await readSql(one!).query<InvoiceRow>(`select * from invoices where id = 'inv_10'`))[0]!).lines).toEqual([
      {
        commissionId: 'cm_13',
        amount: 13000,
        currency: 'usd',
        fxRate: null,
        fxRateId: null,
        fxAsOf: null,
        fxSource: null,
        fxInverted: null,
        convertedAmount: 13000,
      },
    ]);
  });
  it('an assignment carrying its invoice puts the commissions on it before its InvoiceGenerated; the latter changes nothing', async () => {
    const projections: Projection[] = [commissionsProjection, ledgerProjection, invoicesProjection];
    const carried = (version: number, invoice: RecordedEvent) => {
      const d = invoice.data as { invoiceId: string; partnerId: string; sequence: number; number: string };
      return event(`payables-${co}`, version, 'InvoiceNumberAssigned', {
        companyId: co,
        invoiceId: d.invoiceId,
        partnerId: d.partnerId,
        sequence: d.sequence,
        number: d.number,
        invoice: invoice.data,
      });
    };
    const first = generated('inv_20', 'pa_7', 20, [21, 22]);
    const decided = [earned(21, 'pa_7'), earned(22, 'pa_7'), carried(20, first)];
    const completed = [
      ...decided,
      { ...first, globalPosition: ++position, checkpoint: `1/${position}` },
      event(`invoice-${co}-inv_20`, 2, 'InvoiceVoided', {
        invoiceId: 'inv_20',
        companyId: co,
        partnerId: 'pa_7',
        commissionIds: ['cm_21', 'cm_22'],
        cause: 'commission_reversed',
      }),
    ];
    const [early, earlyBatched, one, batched] = await Promise.all([0, 1, 2, 3].map(async () => openOrm(await createTestDatabase(), migrations)));
    orms.push(early!, earlyBatched!, one!, batched!);
    for (const p of projections) {
      await inTransaction(early!, async (sql) => {
        for (const e of decided) await p.apply(e, sql);
      });
      await inTransaction(earlyBatched!, (sql) => applyInRuns(p, decided, sql));
      await inTransaction(one!, async (sql) => {
        for (const e of completed) await p.apply(e, sql);
      });
      await inTransaction(batched!, (sql) => applyInRuns(p, completed, sql));
    }
    const statuses = async (orm: MikroORM) =>
      (
        await readSql(orm).query<{ id: string; status: string; invoice_id: string | null }>(
          `select id, status, invoice_id from commissions where partner_id = 'pa_7' order by id`,
        )
      ).map((r) => [r.id, r.status, r.invoice_id]);
    for (const orm of [early!, earlyBatched!]) {
      expect(await statuses(orm)).toEqual([
        ['cm_21', 'invoiced', 'inv_20'],
        ['cm_22', 'invoiced', 'inv_20'],
      ]);
      expect(await readSql(orm).query(`select invoice_id, live from invoice_periods where partner_id = 'pa_7'`)).toEqual([
        { invoice_id: 'inv_20', live: true },
      ]);
    }
    expect(await dump(batched!, projections)).toEqual(await dump(one!, projections));
    expect(await statuses(one!)).toEqual([
      ['cm_21', 'payable', null],
      ['cm_22', 'payable', null],
    ]);
  });
});
