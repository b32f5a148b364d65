import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import type { RecordedEvent } from '../../../libs/event-store/event-store.port.js';
import { decideReversal, evolveCommission, initialCommission, type CommissionEarned, type CommissionState } from './commission.js';
import { decideEarn, initialLeadPayments } from './earning.js';
import { balancesFrom, invoiceTotals, postingsFor, type Posting } from './ledger.js';

const rec = (e: { type: string; data: unknown }) => e as unknown as RecordedEvent;
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

function sumsToZero(postings: Posting[]) {
  const byTx = new Map<string, number>();
  for (const p of postings) byTx.set(`${p.tx}/${p.currency}`, (byTx.get(`${p.tx}/${p.currency}`) ?? 0) + p.amount);
  return [...byTx.values()].every((v) => v === 0);
}

const earned = (amount: number, payableDays: number): CommissionEarned => ({
  type: 'CommissionEarned',
  data: {
    commissionId: 'cm_1', companyId: 'co_1', partnerId: 'pa_1', leadId: 'ld_1', paymentId: 'py_1', kind: 'payment', amount, currency: 'usd', paidAt: iso(0), payableAt: iso(payableDays),
    holdDays: payableDays, plan: null, planSource: null, basis: { amount: amount * 5, tax: 0, net: amount * 5, currency: 'usd' }, conversion: null, reversesCommissionId: null, reversalId: null, reason: null,
  },
});

describe('ledger postings', () => {
  it('posts the earn as pending, and its move to payable dated at payableAt', () => {
    const postings = postingsFor(earned(2000, 30), iso(0), noTotals);
    expect(sumsToZero(postings)).toBe(true);
    expect(balanceAt(postings, iso(29))).toEqual([{ currency: 'usd', pending: 2000, payable: 0, invoiced: 0, paid: 0 }]);
    expect(balanceAt(postings, iso(30))).toEqual([{ currency: 'usd', pending: 0, payable: 2000, invoiced: 0, paid: 0 }]);
  });

  it('posts a commission whose hold already passed straight to payable', () => {
    expect(postingsFor(earned(2000, 0), iso(1), noTotals).map((p) => [p.account, p.amount])).toEqual([['expense', 2000], ['payable', -2000]]);
  });

  it('reduces pending now and the later move to payable when a refund comes during the hold', () => {
    const state = evolveCommission(initialCommission, rec(earned(2000, 30)));
    const reversal = decideReversal(state, { commissionId: 'cm_1', companyId: 'co_1' }, { reversalId: 're_1', reason: 'refund', refundedTotal: 5000, occurredAt: iso(5) }, false)!;
    const postings = [...postingsFor(earned(2000, 30), iso(0), noTotals), ...postingsFor(reversal.reversed, iso(5), noTotals)];
    expect(sumsToZero(postings)).toBe(true);
    expect(balanceAt(postings, iso(6))[0]).toMatchObject({ pending: 1000, payable: 0 });
    expect(balanceAt(postings, iso(31))[0]).toMatchObject({ pending: 0, payable: 1000 });
  });

  it('moves an invoice’s totals per commission currency: payable → invoiced → paid out, or back on void', () => {
    const generated = { type: 'InvoiceGenerated', data: { invoiceId: 'inv_1', companyId: 'co_1', partnerId: 'pa_1', lines: [{ amount: 100, currency: 'usd' }, { amount: 50, currency: 'eur' }, { amount: 20, currency: 'usd' }] } };
    const totals = invoiceTotals(generated.data.lines);
    expect(totals).toEqual([{ currency: 'eur', amount: 50 }, { currency: 'usd', amount: 120 }]);
    const gen = postingsFor(generated, iso(40), noTotals);
    const paid = postingsFor({ type: 'InvoicePaid', data: { invoiceId: 'inv_1', companyId: 'co_1', partnerId: 'pa_1' } }, iso(41), () => totals);
    const voided = postingsFor({ type: 'InvoiceVoided', data: { invoiceId: 'inv_1', companyId: 'co_1', partnerId: 'pa_1' } }, iso(41), () => totals);
    expect(sumsToZero([...gen, ...paid, ...voided])).toBe(true);
    expect(balanceAt([...gen, ...paid], iso(41)).find((b) => b.currency === 'usd')).toEqual({ currency: 'usd', pending: 0, payable: -120, invoiced: 0, paid: 120 });
    expect(balanceAt([...gen, ...voided], iso(41)).find((b) => b.currency === 'eur')).toEqual({ currency: 'eur', pending: 0, payable: 0, invoiced: 0, paid: 0 });
  });
});

/** Random histories through the real deciders: payments earn, refunds reverse, invoices take payable commissions, then are paid or voided. */
describe('ledger properties', () => {
  const currencies = ['usd', 'jpy', 'kwd'];
  const step = fc.oneof(
    fc.record({ kind: fc.constant('pay' as const), currency: fc.constantFrom(...currencies), amount: fc.integer({ min: 0, max: 10 ** 7 }), tax: fc.integer({ min: 0, max: 10 ** 6 }), percent: fc.integer({ min: 0, max: 10000 }).map((x) => x / 100), hold: fc.integer({ min: 0, max: 20 }) }),
    fc.record({ kind: fc.constant('refund' as const), pick: fc.nat(), fraction: fc.integer({ min: 0, max: 1000 }) }),
    fc.record({ kind: fc.constant('invoice' as const) }),
    fc.record({ kind: fc.constant('settle' as const), pick: fc.nat(), paid: fc.boolean() }),
  );

  it('every transaction sums to zero per currency; totals never go negative; the balance matches the commissions', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const postings: Posting[] = [];
        const commissions = new Map<string, { state: CommissionState; invoice: string | null; paid: boolean }>();
        const invoices = new Map<string, { ids: string[]; totals: ReturnType<typeof invoiceTotals>; open: boolean }>();
        const paymentAmounts = new Map<string, number>();
        let day = 0;
        let n = 0;
        const post = (e: { type: string; data: unknown }, totals = noTotals as () => ReturnType<typeof invoiceTotals>) => {
          const p = postingsFor(e, iso(day), totals);
          expect(sumsToZero(p)).toBe(true);
          postings.push(...p);
        };
        for (const s of steps) {
          day += 1;
          if (s.kind === 'pay') {
            const paymentId = `py_${n++}`;
            const amount = s.amount + s.tax;
            const d = decideEarn({ payment: { paymentId, companyId: 'co', leadId: 'ld', partnerId: 'pa', amount, tax: s.tax, net: s.amount, currency: s.currency, paidAt: iso(day) }, lead: initialLeadPayments, partnerPlan: null, companyPlan: { type: 'percentage', percent: s.percent }, holdDays: s.hold, rate: null })!;
            paymentAmounts.set(paymentId, amount);
            for (const e of d.earned) {
              post(e);
              const id = (e.data as { commissionId: string }).commissionId;
              commissions.set(id, { state: evolveCommission(commissions.get(id)?.state ?? initialCommission, rec(e)), invoice: null, paid: false });
            }
          } else if (s.kind === 'refund') {
            const ids = [...commissions.keys()].filter((id) => commissions.get(id)!.state.paymentAmount > 0);
            if (!ids.length) continue;
            const id = ids[s.pick % ids.length]!;
            const c = commissions.get(id)!;
            const refunded = Math.floor((c.state.paymentAmount * s.fraction) / 1000);
            const d = decideReversal(c.state, { commissionId: id, companyId: 'co' }, { reversalId: `re_${n++}`, reason: 'refund', refundedTotal: refunded, occurredAt: iso(day) }, c.invoice !== null || c.paid);
            if (!d) continue;
            post(d.reversed);
            c.state = evolveCommission(c.state, rec(d.reversed));
            if (d.carried) {
              post(d.carried);
              commissions.set(d.carried.data.commissionId, { state: evolveCommission(initialCommission, rec(d.carried)), invoice: null, paid: false });
            }
          } else if (s.kind === 'invoice') {
            const open = [...commissions.entries()].filter(([, c]) => !c.invoice && !c.paid && Date.parse(c.state.payableAt) <= Date.parse(iso(day)) && c.state.amount !== 0);
            if (!open.length || open.reduce((a, [, c]) => a + c.state.amount, 0) <= 0) continue;
            const invoiceId = `inv_${n++}`;
            const lines = open.map(([, c]) => ({ amount: c.state.amount, currency: c.state.currency }));
            post({ type: 'InvoiceGenerated', data: { invoiceId, companyId: 'co', partnerId: 'pa', lines } });
            invoices.set(invoiceId, { ids: open.map(([id]) => id), totals: invoiceTotals(lines), open: true });
            for (const [, c] of open) c.invoice = invoiceId;
          } else {
            const live = [...invoices.entries()].filter(([, i]) => i.open);
            if (!live.length) continue;
            const [invoiceId, inv] = live[s.pick % live.length]!;
            post({ type: s.paid ? 'InvoicePaid' : 'InvoiceVoided', data: { invoiceId, companyId: 'co', partnerId: 'pa' } }, () => inv.totals);
            inv.open = false;
            for (const id of inv.ids) Object.assign(commissions.get(id)!, s.paid ? { paid: true, invoice: null } : { invoice: null });
          }
        }
        const end = iso(day + 100);
        for (const b of balanceAt(postings, end)) {
          const expense = postings.filter((p) => p.currency === b.currency && p.account === 'expense').reduce((a, p) => a + p.amount, 0);
          expect(b.pending + b.payable + b.invoiced + b.paid).toBe(expense);
          expect(expense).toBeGreaterThanOrEqual(0);
          const mine = [...commissions.values()].filter((c) => c.state.currency === b.currency);
          expect(b.payable + b.pending).toBe(mine.filter((c) => !c.invoice && !c.paid).reduce((a, c) => a + c.state.amount, 0));
          expect(b.invoiced).toBe(mine.filter((c) => c.invoice).reduce((a, c) => a + c.state.amount, 0));
          expect(b.paid).toBe(mine.filter((c) => c.paid).reduce((a, c) => a + c.state.amount, 0));
          expect(b.pending).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
