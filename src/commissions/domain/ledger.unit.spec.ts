import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { decideReversal, evolveCommission, initialCommission, type CommissionEarned, type CommissionState } from './commission.js';
import { decideEarn, initialLeadPayments } from './earning.js';
import { balancesFrom, invoiceTotals, postingsFor, type InvoiceEntries, type Posting } from './ledger.js';
import { fxRate, type FxRate } from '../../../libs/money/index.js';
import { draftLines } from '../../invoicing/index.js';
import { decideReview } from './review.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const iso = (days: number) => new Date(T0 + days * 86_400_000).toISOString();
const noTotals = () => [];

function balanceAt(postings: Posting[], at: string) {
  const sums = new Map<string, { currency: string; account: Posting['account']; amount: number }>();
  for (const p of postings.filter((x) => Date.parse(x.effectiveAt) <= Date.parse(at))) {
    const key = `${p.currency}/${p.account}`;
    const s = sums.get(key) ?? { currency: p.currency, account: p.account, amount: 0 };
    s.amount += p.amount;
    sums.set(key, s);
  }
  return balancesFrom([...sums.values()]);
}

/** What the ledger projection reads back for a void or a payment: the invoice's generation entries per account and currency. */
function generationOf(postings: Posting[], invoiceId: string): InvoiceEntries {
  const sums = new Map<string, { account: Posting['account']; currency: string; amount: number }>();
  for (const p of postings.filter((x) => x.invoiceId === invoiceId && x.tx.startsWith('invoiced_'))) {
    const key = `${p.account}/${p.currency}`;
    const s = sums.get(key) ?? { account: p.account, currency: p.currency, amount: 0 };
    s.amount += p.amount;
    sums.set(key, s);
  }
  return [...sums.values()];
}

function sumsToZero(postings: Posting[]) {
  const byTx = new Map<string, number>();
  for (const p of postings) byTx.set(`${p.tx}/${p.currency}`, (byTx.get(`${p.tx}/${p.currency}`) ?? 0) + p.amount);
  return [...byTx.values()].every((v) => v === 0);
}

const earned = (amount: number, payableDays: number): CommissionEarned => ({
  type: 'CommissionEarned',
  data: {
    commissionId: 'cm_1',
    companyId: 'co_1',
    partnerId: 'pa_1',
    leadId: 'ld_1',
    paymentId: 'py_1',
    kind: 'payment',
    amount,
    currency: 'usd',
    paidAt: iso(0),
    payableAt: iso(payableDays),
    holdDays: payableDays,
    plan: null,
    planSource: null,
    basis: { amount: amount * 5, tax: 0, net: amount * 5, currency: 'usd' },
    conversion: null,
    reversesCommissionId: null,
    reversalId: null,
    reason: null,
  },
});

describe('ledger postings', () => {
  it('posts the earn as pending, and its move to payable dated at payableAt', () => {
    const postings = postingsFor(earned(2000, 30), iso(0), noTotals);
    expect(sumsToZero(postings)).toBe(true);
    expect(balanceAt(postings, iso(29))).toEqual([{ currency: 'usd', pending: 2000, payable: 0, invoiced: 0, paid: 0, converted: 0 }]);
    expect(balanceAt(postings, iso(30))).toEqual([{ currency: 'usd', pending: 0, payable: 2000, invoiced: 0, paid: 0, converted: 0 }]);
  });

  it('posts a commission whose hold already passed straight to payable', () => {
    expect(postingsFor(earned(2000, 0), iso(1), noTotals).map((p) => [p.account, p.amount])).toEqual([
      ['expense', 2000],
      ['payable', -2000],
    ]);
  });

  it('reduces pending now and the later move to payable when a refund comes during the hold', () => {
    const state = evolveCommission(initialCommission, earned(2000, 30));
    const reversal = decideReversal(
      state,
      { commissionId: 'cm_1', companyId: 'co_1' },
      { reversalId: 're_1', reason: 'refund', refundedTotal: 5000, occurredAt: iso(5) },
      false,
    )!;
    const postings = [...postingsFor(earned(2000, 30), iso(0), noTotals), ...postingsFor(reversal.reversed, iso(5), noTotals)];
    expect(sumsToZero(postings)).toBe(true);
    expect(balanceAt(postings, iso(6))[0]).toMatchObject({ pending: 1000, payable: 0 });
    expect(balanceAt(postings, iso(31))[0]).toMatchObject({ pending: 0, payable: 1000 });
  });

  it('moves a same-currency invoice payable → invoiced → paid out, or back on void', () => {
    const generated = {
      type: 'InvoiceGenerated',
      data: {
        invoiceId: 'inv_1',
        companyId: 'co_1',
        partnerId: 'pa_1',
        currency: 'usd',
        lines: [
          { amount: 100, currency: 'usd' },
          { amount: 20, currency: 'usd' },
        ],
      },
    };
    expect(invoiceTotals(generated.data.lines)).toEqual([{ currency: 'usd', amount: 120 }]);
    const gen = postingsFor(generated, iso(40), noTotals);
    const paid = postingsFor({ type: 'InvoicePaid', data: { invoiceId: 'inv_1', companyId: 'co_1', partnerId: 'pa_1' } }, iso(41), () =>
      generationOf(gen, 'inv_1'),
    );
    const voided = postingsFor({ type: 'InvoiceVoided', data: { invoiceId: 'inv_1', companyId: 'co_1', partnerId: 'pa_1' } }, iso(41), () =>
      generationOf(gen, 'inv_1'),
    );
    expect(sumsToZero([...gen, ...paid, ...voided])).toBe(true);
    expect(balanceAt([...gen, ...paid], iso(41))).toEqual([{ currency: 'usd', pending: 0, payable: -120, invoiced: 0, paid: 120, converted: 0 }]);
    expect(balanceAt([...gen, ...voided], iso(41))).toEqual([{ currency: 'usd', pending: 0, payable: 0, invoiced: 0, paid: 0, converted: 0 }]);
  });

  it('records an invoice in the partner’s currency: converted lines go through the conversion account, so "paid" is what was paid', () => {
    // USD 20.00 + USD 10.00 + EUR 6.00 on a EUR invoice at 0.9234: EUR 18.47 + 9.23 + 6.00 = 33.70
    const lines = [
      { amount: 2000, currency: 'usd', convertedAmount: 1847 },
      { amount: 1000, currency: 'usd', convertedAmount: 923 },
      { amount: 600, currency: 'eur' },
    ];
    const gen = postingsFor(
      { type: 'InvoiceGenerated', data: { invoiceId: 'inv_2', companyId: 'co_1', partnerId: 'pa_1', currency: 'eur', lines } },
      iso(40),
      noTotals,
    );
    expect(sumsToZero(gen)).toBe(true);
    expect(balanceAt(gen, iso(40))).toEqual([
      { currency: 'eur', pending: 0, payable: -600, invoiced: 3370, paid: 0, converted: -2770 },
      { currency: 'usd', pending: 0, payable: -3000, invoiced: 0, paid: 0, converted: 3000 },
    ]);
    const paid = postingsFor({ type: 'InvoicePaid', data: { invoiceId: 'inv_2', companyId: 'co_1', partnerId: 'pa_1' } }, iso(41), () =>
      generationOf(gen, 'inv_2'),
    );
    expect(balanceAt([...gen, ...paid], iso(41)).map((b) => [b.currency, b.invoiced, b.paid])).toEqual([
      ['eur', 0, 3370],
      ['usd', 0, 0],
    ]);
    const voided = postingsFor({ type: 'InvoiceVoided', data: { invoiceId: 'inv_2', companyId: 'co_1', partnerId: 'pa_1' } }, iso(41), () =>
      generationOf(gen, 'inv_2'),
    );
    expect(balanceAt([...gen, ...voided], iso(41)).every((b) => b.payable === 0 && b.invoiced === 0 && b.converted === 0)).toBe(true);
  });

  it('keeps a rounding remainder payable in the invoice currency and moves the carry in onto the invoice', () => {
    const gen = postingsFor(
      {
        type: 'InvoiceGenerated',
        data: {
          invoiceId: 'inv_3',
          companyId: 'co_1',
          partnerId: 'pa_1',
          currency: 'kwd',
          lines: [{ amount: 37961, currency: 'kwd' }],
          carry: { in: 4, out: 5 },
        },
      },
      iso(40),
      noTotals,
    );
    expect(sumsToZero(gen)).toBe(true);
    expect(balanceAt(gen, iso(40))).toEqual([{ currency: 'kwd', pending: 0, payable: -37961 - 4 + 5, invoiced: 37960, paid: 0, converted: 0 }]);
  });
});

/**
 * Random histories through the real deciders: payments earn, refunds reverse, invoice runs (draftLines) take payable
 * commissions into an invoice in a random partner currency (converted lines, the charge increment's rounding carry),
 * then invoices are paid or voided.
 */
describe('ledger properties', () => {
  const currencies = ['usd', 'jpy', 'kwd'];
  const rates: Record<string, FxRate> = {
    'usd>jpy': fxRate({ id: 'r1', base: 'usd', quote: 'jpy', rate: '151.37', asOf: '2025-01-01', source: 't' }),
    'usd>kwd': fxRate({ id: 'r2', base: 'usd', quote: 'kwd', rate: '0.3075', asOf: '2025-01-01', source: 't' }),
    'jpy>kwd': fxRate({ id: 'r3', base: 'jpy', quote: 'kwd', rate: '0.00205', asOf: '2025-01-01', source: 't' }),
  };
  const rateFor = (from: string, to: string) => rates[`${from}>${to}`] ?? rates[`${to}>${from}`]!;
  const increment: Record<string, number> = { usd: 1, jpy: 1, kwd: 10 };
  const step = fc.oneof(
    fc.record({
      kind: fc.constant('pay' as const),
      currency: fc.constantFrom(...currencies),
      amount: fc.integer({ min: 0, max: 10 ** 7 }),
      tax: fc.integer({ min: 0, max: 10 ** 6 }),
      percent: fc.integer({ min: 0, max: 10000 }).map((x) => x / 100),
      hold: fc.integer({ min: 0, max: 20 }),
      review: fc.boolean(),
      excluded: fc.boolean(),
    }),
    fc.record({ kind: fc.constant('review' as const), pick: fc.nat(), approve: fc.boolean() }),
    fc.record({ kind: fc.constant('refund' as const), pick: fc.nat(), fraction: fc.integer({ min: 0, max: 1000 }) }),
    fc.record({ kind: fc.constant('invoice' as const), currency: fc.constantFrom(...currencies) }),
    fc.record({ kind: fc.constant('settle' as const), pick: fc.nat(), paid: fc.boolean() }),
  );
  type Invoice = {
    ids: string[];
    currency: string;
    total: number;
    lines: { amount: number; currency: string; convertedAmount?: number }[];
    carry: { in: number; out: number };
    state: 'open' | 'paid' | 'void';
  };

  it('every transaction sums to zero per currency; the balance matches the commissions, invoices and carries; "paid" is in the invoice currency; declined and excluded never touch payable', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const postings: Posting[] = [];
        const commissions = new Map<string, { state: CommissionState; invoice: string | null; paid: boolean }>();
        const invoices = new Map<string, Invoice>();
        const carry: Record<string, number> = { usd: 0, jpy: 0, kwd: 0 };
        const declined = new Set<string>();
        const excluded = new Set<string>();
        let day = 0;
        let n = 0;
        const post = (e: { type: string; data: unknown }) => {
          const p = postingsFor(e, iso(day), (id) => generationOf(postings, id));
          expect(sumsToZero(p)).toBe(true);
          postings.push(...p);
        };
        for (const s of steps) {
          day += 1;
          if (s.kind === 'pay') {
            const paymentId = `py_${n++}`;
            const amount = s.amount + s.tax;
            const payment = {
              paymentId,
              companyId: 'co',
              leadId: 'ld',
              partnerId: 'pa',
              amount,
              tax: s.tax,
              net: s.amount,
              currency: s.currency,
              paidAt: iso(day),
              ...(s.excluded && { commissionExcluded: { where: 'invoice' as const, reason: 'test' } }),
            };
            const review = { required: s.review, mode: s.review ? ('manual' as const) : ('auto' as const), flags: [] };
            const d = decideEarn({
              payment,
              lead: initialLeadPayments,
              partnerPlan: null,
              companyPlan: { type: 'percentage', percent: s.percent },
              holdDays: s.hold,
              review,
            })!;
            if (s.excluded) {
              expect(d.earned).toEqual([]);
              excluded.add(`cm_${paymentId}`);
            }
            for (const e of d.earned) {
              post(e);
              const id = (e.data as { commissionId: string }).commissionId;
              commissions.set(id, { state: evolveCommission(commissions.get(id)?.state ?? initialCommission, e), invoice: null, paid: false });
            }
          } else if (s.kind === 'refund') {
            const ids = [...commissions.keys()].filter((id) => commissions.get(id)!.state.paymentAmount > 0);
            if (!ids.length) continue;
            const id = ids[s.pick % ids.length]!;
            const c = commissions.get(id)!;
            const refunded = Math.floor((c.state.paymentAmount * s.fraction) / 1000);
            const d = decideReversal(
              c.state,
              { commissionId: id, companyId: 'co' },
              { reversalId: `re_${n++}`, reason: 'refund', refundedTotal: refunded, occurredAt: iso(day) },
              c.invoice !== null || c.paid,
            );
            if (!d) continue;
            post(d.reversed);
            c.state = evolveCommission(c.state, d.reversed);
            if (d.carried) {
              post(d.carried);
              commissions.set(d.carried.data.commissionId, { state: evolveCommission(initialCommission, d.carried), invoice: null, paid: false });
            }
          } else if (s.kind === 'review') {
            const ids = [...commissions.keys()].filter((id) => commissions.get(id)!.state.kind === 'payment');
            if (!ids.length) continue;
            const id = ids[s.pick % ids.length]!;
            const c = commissions.get(id)!;
            const d = decideReview(
              c.state,
              { commissionId: id, companyId: 'co' },
              s.approve ? { action: 'approve' } : { action: 'decline', reason: 'test' },
              new Date(iso(day)),
              c.paid ? 'paid' : c.invoice ? 'invoiced' : null,
            );
            if ('refused' in d) continue;
            for (const e of d.events) {
              post(e);
              c.state = evolveCommission(c.state, e);
              if (e.type === 'CommissionDeclined') declined.add(id);
            }
          } else if (s.kind === 'invoice') {
            const open = [...commissions.entries()].filter(
              ([, c]) =>
                !c.invoice &&
                !c.paid &&
                (c.state.status === 'pending' || c.state.status === 'payable' || c.state.status === 'reversed') &&
                Date.parse(c.state.payableAt) <= Date.parse(iso(day)) &&
                c.state.amount !== 0,
            );
            const lineRates = new Map(currencies.filter((c) => c !== s.currency).map((c) => [c, rateFor(c, s.currency)]));
            const d = draftLines(
              s.currency,
              open.map(([id, c]) => ({ commissionId: id, amount: c.state.amount, currency: c.state.currency })),
              lineRates,
              0,
              { increment: increment[s.currency], carry: carry[s.currency] },
            );
            if ('skip' in d) continue;
            const invoiceId = `inv_${n++}`;
            post({
              type: 'InvoiceGenerated',
              data: { invoiceId, companyId: 'co', partnerId: 'pa', currency: s.currency, lines: d.lines, ...(d.carry && { carry: d.carry }) },
            });
            const c = d.carry ?? { in: 0, out: 0 };
            carry[s.currency] += c.out - c.in;
            invoices.set(invoiceId, { ids: open.map(([id]) => id), currency: s.currency, total: d.total, lines: d.lines, carry: c, state: 'open' });
            for (const [, x] of open) x.invoice = invoiceId;
          } else {
            const live = [...invoices.entries()].filter(([, i]) => i.state === 'open');
            if (!live.length) continue;
            const [invoiceId, inv] = live[s.pick % live.length]!;
            post({ type: s.paid ? 'InvoicePaid' : 'InvoiceVoided', data: { invoiceId, companyId: 'co', partnerId: 'pa' } });
            inv.state = s.paid ? 'paid' : 'void';
            if (!s.paid) carry[inv.currency] -= inv.carry.out - inv.carry.in;
            for (const id of inv.ids) Object.assign(commissions.get(id)!, s.paid ? { paid: true, invoice: null } : { invoice: null });
          }
        }
        const end = iso(day + 100);
        const counted = [...invoices.values()].filter((i) => i.state !== 'void');
        for (const b of balanceAt(postings, end)) {
          const expense = postings.filter((p) => p.currency === b.currency && p.account === 'expense').reduce((a, p) => a + p.amount, 0);
          expect(b.pending + b.payable + b.invoiced + b.paid).toBe(expense - b.converted);
          expect(expense).toBeGreaterThanOrEqual(0);
          const open = [...commissions.values()].filter((c) => c.state.currency === b.currency && !c.invoice && !c.paid && c.state.status !== 'declined');
          expect(b.payable + b.pending).toBe(open.reduce((a, c) => a + c.state.amount, 0) + carry[b.currency]!);
          const inReview = open.filter((c) => c.state.status === 'pending_review').reduce((a, c) => a + c.state.amount, 0);
          expect(b.pending).toBeGreaterThanOrEqual(inReview);
          expect(b.invoiced).toBe(counted.filter((i) => i.state === 'open' && i.currency === b.currency).reduce((a, i) => a + i.total, 0));
          expect(b.paid).toBe(counted.filter((i) => i.state === 'paid' && i.currency === b.currency).reduce((a, i) => a + i.total, 0));
          const out = counted.flatMap((i) => i.lines.filter((l) => l.currency === b.currency && i.currency !== b.currency)).reduce((a, l) => a + l.amount, 0);
          const into = counted
            .filter((i) => i.currency === b.currency)
            .flatMap((i) => i.lines.filter((l) => l.currency !== b.currency))
            .reduce((a, l) => a + (l.convertedAmount ?? 0), 0);
          expect(b.converted).toBe(out - into);
          expect(b.pending).toBeGreaterThanOrEqual(0);
        }
        expect(
          postings.filter((p) => p.commissionId !== null && (declined.has(p.commissionId) || excluded.has(p.commissionId)) && p.account === 'payable'),
        ).toEqual([]);
        expect(postings.filter((p) => p.commissionId !== null && excluded.has(p.commissionId))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
