import { describe, it, expect } from '@jest/globals';
import { fxRate, type FxRate } from '../../../libs/money/index.js';
import { sizeOnDisk } from '../../../libs/event-store/esdb/esdb-client.js';
import type { NewEvent, StreamAppend } from '../../../libs/event-store/event-store.port.js';
import { decideInvoiceRun, parseCandidate, ratePair, ratePairs, type InvoiceRunInput, type RunCandidate, type RunPeriod } from './invoice-run-decision.js';
import { invoiceRunEventId, type InvoiceGenerated, type InvoiceNumberAssigned } from './invoice.js';

const period: RunPeriod = {
  companyId: 'co_1',
  periodStart: '2025-03-01',
  periodEnd: '2025-03-31',
  cutoff: new Date('2025-03-31T23:59:59.999Z'),
  currency: 'usd',
  minimumPayout: 0,
  clawback: false,
};
const partner = (id: string, open: [string, number, string][], more: Partial<RunCandidate> = {}): RunCandidate => ({
  partnerId: id,
  currency: 'usd',
  invoiced: false,
  carry: 0,
  open: open.map(([commissionId, amount, currency]) => ({ commissionId, amount, currency })),
  ...more,
});
const ids = () => {
  let n = 0;
  return () => `inv_${++n}`;
};
const atomic = { atomicAppendMany: true, maxAppendBytes: null, chunkSize: 200 };
const streamByStream = { atomicAppendMany: false, maxAppendBytes: 1_048_576, chunkSize: 200 };
const input = (more: Partial<InvoiceRunInput>): InvoiceRunInput => ({
  period,
  candidates: [],
  rates: new Map(),
  guard: { version: 4, invoices: 2 },
  plan: atomic,
  newInvoiceId: ids(),
  ...more,
});
const usdEur = fxRate({ id: 'fxr_1:eur', base: 'usd', quote: 'eur', rate: '0.9234', asOf: '2025-03-31T00:00:00.000Z', source: 'ecb' });
/** An append's size in EventStoreDB's measure, metadata as the adapter writes it. */
const appendBytes = (a: StreamAppend) =>
  a.events.reduce((n, e) => n + sizeOnDisk(e.type, Buffer.byteLength(JSON.stringify(e.data)), Buffer.byteLength('{"schemaVersion":1}')), 0);

describe('decideInvoiceRun', () => {
  const two = [
    partner('pa_1', [['cm_1', 1500, 'usd']]),
    partner('pa_2', [
      ['cm_2', 700, 'usd'],
      ['cm_3', -200, 'usd'],
    ]),
  ];

  it('with atomic appends: per chunk the invoice streams, then the numbers at the guard’s version, gap-free from its count', () => {
    const decision = decideInvoiceRun(input({ candidates: two, plan: { ...atomic, chunkSize: 1 } }));
    expect(decision.skipped).toEqual([]);
    expect(decision.chunks.map((c) => c.invoices)).toEqual([
      [{ invoiceId: 'inv_1', partnerId: 'pa_1', number: 'INV-000003', currency: 'usd', total: 1500 }],
      [{ invoiceId: 'inv_2', partnerId: 'pa_2', number: 'INV-000004', currency: 'usd', total: 500 }],
    ]);
    const [first, second] = decision.chunks.map((c) => c.appends);
    expect(first!.map((a) => [a.streamId, a.expectedVersion])).toEqual([
      ['invoice-co_1-inv_1', 'no_stream'],
      ['payables-co_1', 4],
    ]);
    expect(second!.map((a) => [a.streamId, a.expectedVersion])).toEqual([
      ['invoice-co_1-inv_2', 'no_stream'],
      ['payables-co_1', 5],
    ]);
    const generated = first![0]!.events[0] as NewEvent & InvoiceGenerated;
    expect(generated).toEqual({
      type: 'InvoiceGenerated',
      id: invoiceRunEventId('inv_1', 'invoice-co_1-inv_1'),
      data: {
        invoiceId: 'inv_1',
        companyId: 'co_1',
        partnerId: 'pa_1',
        number: 'INV-000003',
        sequence: 3,
        currency: 'usd',
        total: 1500,
        lines: [{ commissionId: 'cm_1', amount: 1500, currency: 'usd' }],
        periodStart: '2025-03-01',
        periodEnd: '2025-03-31',
      },
    });
    // the numbers need not carry the invoice: both are written in one transaction
    expect(first![1]!.events).toEqual([
      {
        type: 'InvoiceNumberAssigned',
        id: invoiceRunEventId('inv_1', 'payables-co_1'),
        data: { companyId: 'co_1', invoiceId: 'inv_1', partnerId: 'pa_1', sequence: 3, number: 'INV-000003' },
      },
    ]);
  });

  it('stream by stream: the numbers first, each carrying its invoice, then the invoice streams derived from them', () => {
    const decision = decideInvoiceRun(input({ candidates: two, plan: streamByStream }));
    expect(decision.chunks).toHaveLength(1);
    const [numbers, ...invoices] = decision.chunks[0]!.appends;
    expect(numbers!.streamId).toBe('payables-co_1');
    expect(numbers!.expectedVersion).toBe(4);
    expect(invoices.map((a) => [a.streamId, a.expectedVersion])).toEqual([
      ['invoice-co_1-inv_1', 'no_stream'],
      ['invoice-co_1-inv_2', 'no_stream'],
    ]);
    const carried = numbers!.events.map((e) => (e as InvoiceNumberAssigned).data.invoice);
    expect(carried).toEqual(invoices.map((a) => a.events[0]!.data));
  });

  it('is a function of its input: the same read, rates and ids decide the same appends', () => {
    const a = decideInvoiceRun(input({ candidates: two, plan: streamByStream }));
    const b = decideInvoiceRun(input({ candidates: two, plan: streamByStream }));
    expect(a).toEqual(b);
  });

  it('skips a partner invoiced for the period, one without a rate, and one below the converted minimum', () => {
    const decision = decideInvoiceRun(
      input({
        period: { ...period, minimumPayout: 5000 },
        candidates: [
          partner('pa_1', [['cm_1', 9000, 'usd']], { invoiced: true }),
          partner('pa_2', [['cm_2', 9000, 'gbp']]),
          partner('pa_3', [['cm_3', 4000, 'eur']], { currency: 'eur' }),
          partner('pa_4', [['cm_4', 6000, 'usd']]),
        ],
        rates: new Map<string, FxRate | { missing: string }>([
          [ratePair('gbp', 'usd'), { missing: 'No FX rate gbp→usd' }],
          [ratePair('usd', 'eur'), usdEur],
        ]),
      }),
    );
    expect(decision.skipped).toEqual([
      { partnerId: 'pa_1', reason: 'already_invoiced', detail: 'a live invoice exists for the period ending 2025-03-31' },
      { partnerId: 'pa_2', reason: 'fx_rate_missing', detail: 'No FX rate gbp→usd' },
      { partnerId: 'pa_3', reason: 'below_minimum', detail: 'total 4000 eur below the minimum payout 5000 usd = 4617 eur at 0.9234 (ecb, 2025-03-31)' },
    ]);
    expect(decision.chunks.flatMap((c) => c.invoices.map((i) => [i.partnerId, i.number]))).toEqual([['pa_4', 'INV-000003']]);
  });

  it('names the rates it needs: line currencies and the minimum into the partner’s, never for a partner already invoiced', () => {
    const pairs = ratePairs({ ...period, minimumPayout: 100 }, [
      partner('pa_1', [['cm_1', 1, 'gbp']], { invoiced: true }),
      partner(
        'pa_2',
        [
          ['cm_2', 1, 'usd'],
          ['cm_3', 1, 'gbp'],
        ],
        { currency: 'eur' },
      ),
    ]);
    expect(pairs).toEqual([
      ['usd', 'eur'],
      ['gbp', 'eur'],
    ]);
  });

  it('parses the read model’s row', () => {
    const row = { partner_id: 'pa_1', partner_currency: 'usd', version: 3, invoices: 1, invoiced: false, carry: '-4', open: 'cm_1 100 usd cm_2 -5 eur' };
    expect(parseCandidate(row)).toEqual(
      partner(
        'pa_1',
        [
          ['cm_1', 100, 'usd'],
          ['cm_2', -5, 'eur'],
        ],
        { carry: -4 },
      ),
    );
  });

  describe('under an append limit', () => {
    const many = (n: number) =>
      Array.from({ length: n }, (_, i): [string, number, string] => [`cm_${String(i).padStart(5, '0')}`, i === n - 1 ? -50 : 100, 'usd']);
    const limited = { atomicAppendMany: false, maxAppendBytes: 4_000, chunkSize: 200 };

    it('cuts an invoice to the lines that fit, reversals first; the rest stay open and the skip says how many', () => {
      const decision = decideInvoiceRun(input({ candidates: [partner('pa_1', many(200))], plan: limited }));
      const [numbers, invoice] = decision.chunks[0]!.appends;
      expect(appendBytes(numbers!)).toBeLessThanOrEqual(4_000);
      const lines = (invoice!.events[0]!.data as InvoiceGenerated['data']).lines;
      expect(lines.length).toBeGreaterThan(20);
      expect(lines.length).toBeLessThan(200);
      expect(lines[0]).toEqual({ commissionId: 'cm_00199', amount: -50, currency: 'usd' });
      expect(lines.slice(1).map((l) => l.commissionId)).toEqual(
        many(200)
          .slice(0, lines.length - 1)
          .map(([id]) => id),
      );
      expect(decision.chunks[0]!.invoices[0]!.total).toBe((lines.length - 1) * 100 - 50);
      expect(decision.skipped).toEqual([
        {
          partnerId: 'pa_1',
          reason: 'too_many_lines',
          detail: `${200 - lines.length} of its 200 commissions did not fit on one invoice (${lines.length} lines fit in an append of the event store) and stay payable for its next period`,
        },
      ]);
    });

    it('packs invoices into chunks whose numbers fit the limit', () => {
      const partners = Array.from({ length: 12 }, (_, i) => partner(`pa_${i}`, many(10)));
      const decision = decideInvoiceRun(input({ candidates: partners, plan: limited }));
      expect(decision.chunks.length).toBeGreaterThan(1);
      expect(decision.chunks.flatMap((c) => c.invoices)).toHaveLength(12);
      let version = 4;
      for (const chunk of decision.chunks) {
        expect(appendBytes(chunk.appends[0]!)).toBeLessThanOrEqual(4_000);
        expect(chunk.appends[0]!.expectedVersion).toBe(version);
        version += chunk.invoices.length;
      }
    });

    it('leaves an invoice that fits whole', () => {
      const decision = decideInvoiceRun(input({ candidates: [partner('pa_1', many(5))], plan: limited }));
      expect(decision.skipped).toEqual([]);
      expect(decision.chunks[0]!.invoices[0]!.total).toBe(350);
    });
  });
});
