import type { CommissionEvent } from './commission.js';

/**
 * Double-entry accounts per company, partner and currency; debit positive, credit negative. `expense` is the
 * company's commission expense; `pending`, `payable` and `invoiced` what it owes the partner; `paid_out` the money
 * that left. Each transaction's entries sum to zero per currency, so expense = pending + payable + invoiced + paid.
 */
export type Account = 'expense' | 'pending' | 'payable' | 'invoiced' | 'paid_out';

export interface Posting {
  /** Entries of one transaction share it and sum to zero. */
  tx: string;
  companyId: string;
  partnerId: string;
  account: Account;
  currency: string;
  amount: number;
  /** Never before the event was recorded, so a balance as of a past date never changes afterwards. */
  effectiveAt: string;
  commissionId: string | null;
  invoiceId: string | null;
}

export type InvoiceTotals = { currency: string; amount: number }[];

type LedgerEvent =
  | CommissionEvent
  | { type: 'InvoiceGenerated'; data: { invoiceId: string; companyId: string; partnerId: string; lines: { amount: number; currency: string }[] } }
  | { type: 'InvoiceVoided'; data: { invoiceId: string; companyId: string; partnerId: string } }
  | { type: 'InvoicePaid'; data: { invoiceId: string; companyId: string; partnerId: string } };

function transfer(tx: string, base: Omit<Posting, 'tx' | 'account' | 'amount' | 'currency' | 'effectiveAt'>, debit: Account, credit: Account, amount: number, currency: string, effectiveAt: string): Posting[] {
  if (amount === 0) return [];
  return [
    { ...base, tx, account: debit, amount, currency, effectiveAt },
    { ...base, tx, account: credit, amount: -amount, currency, effectiveAt },
  ];
}

/** Sums an invoice's lines per commission currency: what moves between payable, invoiced and paid out. */
export function invoiceTotals(lines: { amount: number; currency: string }[]): InvoiceTotals {
  const totals = new Map<string, number>();
  for (const l of lines) totals.set(l.currency, (totals.get(l.currency) ?? 0) + l.amount);
  return [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ currency, amount }));
}

/**
 * The entries one event posts. `recordedAt` is the event's occurredAt; the move from pending to payable is
 * posted with the earn, dated at payableAt, so balances are right between scheduled runs. `totalsOf` gives a
 * generated invoice's per-currency totals (voids and payments move exactly those).
 */
export function postingsFor(event: { type: string; data: unknown }, recordedAt: string, totalsOf: (invoiceId: string) => InvoiceTotals): Posting[] {
  const e = event as LedgerEvent;
  switch (e.type) {
    case 'CommissionEarned': {
      const d = e.data;
      const base = { companyId: d.companyId, partnerId: d.partnerId, commissionId: d.commissionId, invoiceId: null };
      if (Date.parse(d.payableAt) <= Date.parse(recordedAt)) return transfer('earned', base, 'expense', 'payable', d.amount, d.currency, recordedAt);
      return [...transfer('earned', base, 'expense', 'pending', d.amount, d.currency, recordedAt), ...transfer('became_payable', base, 'pending', 'payable', d.amount, d.currency, d.payableAt)];
    }
    case 'CommissionReversed': {
      const d = e.data;
      if (d.mode === 'carried') return [];
      const base = { companyId: d.companyId, partnerId: d.partnerId, commissionId: d.commissionId, invoiceId: null };
      if (Date.parse(recordedAt) >= Date.parse(d.payableAt)) return transfer('reversed', base, 'payable', 'expense', d.amount, d.currency, recordedAt);
      return [...transfer('reversed', base, 'pending', 'expense', d.amount, d.currency, recordedAt), ...transfer('reversed_before_payable', base, 'payable', 'pending', d.amount, d.currency, d.payableAt)];
    }
    case 'InvoiceGenerated': {
      const base = { companyId: e.data.companyId, partnerId: e.data.partnerId, commissionId: null, invoiceId: e.data.invoiceId };
      return invoiceTotals(e.data.lines).flatMap((t) => transfer(`invoiced_${t.currency}`, base, 'payable', 'invoiced', t.amount, t.currency, recordedAt));
    }
    case 'InvoiceVoided':
    case 'InvoicePaid': {
      const base = { companyId: e.data.companyId, partnerId: e.data.partnerId, commissionId: null, invoiceId: e.data.invoiceId };
      const to: Account = e.type === 'InvoicePaid' ? 'paid_out' : 'payable';
      return totalsOf(e.data.invoiceId).flatMap((t) => transfer(`${e.type === 'InvoicePaid' ? 'paid' : 'voided'}_${t.currency}`, base, 'invoiced', to, t.amount, t.currency, recordedAt));
    }
    default:
      return [];
  }
}

export interface Balance {
  currency: string;
  pending: number;
  payable: number;
  invoiced: number;
  paid: number;
}

/** What the company owes the partner per currency, from account sums (liabilities are credit balances). */
export function balancesFrom(sums: { currency: string; account: Account; amount: number }[]): Balance[] {
  const by = new Map<string, Balance>();
  for (const s of sums) {
    const b = by.get(s.currency) ?? { currency: s.currency, pending: 0, payable: 0, invoiced: 0, paid: 0 };
    if (s.account === 'pending') b.pending -= s.amount;
    else if (s.account === 'payable') b.payable -= s.amount;
    else if (s.account === 'invoiced') b.invoiced -= s.amount;
    else if (s.account === 'paid_out') b.paid -= s.amount;
    by.set(s.currency, b);
  }
  return [...by.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}
