import type { CommissionEvent } from './commission.js';

/**
 * Double-entry accounts per company, partner and currency; debit positive, credit negative. `expense` is the
 * company's commission expense; `pending`, `payable` and `invoiced` what it owes the partner; `paid_out` the money
 * that left. `conversion` is the currency-conversion clearing account: an invoice in the partner's currency takes a
 * line in another currency out of `payable` there (credit conversion) and puts its converted amount into `invoiced`
 * in the invoice currency (debit conversion), so what is invoiced and paid is recorded in the currency that was paid.
 * Each transaction's entries sum to zero per currency, so per currency
 * expense + conversion = pending + payable + invoiced + paid (liabilities as credit balances); the conversion
 * balances across currencies, valued at one rate, are the FX gain or loss of the conversions.
 */
export type Account = 'expense' | 'pending' | 'payable' | 'invoiced' | 'paid_out' | 'conversion';

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

type GeneratedInvoice = {
  invoiceId: string;
  companyId: string;
  partnerId: string;
  currency: string;
  lines: { amount: number; currency: string; convertedAmount?: number }[];
  carry?: { in: number; out: number };
};
type LedgerEvent =
  | CommissionEvent
  | { type: 'InvoiceGenerated'; data: GeneratedInvoice }
  | { type: 'InvoiceVoided'; data: { invoiceId: string; companyId: string; partnerId: string } }
  | { type: 'InvoicePaid'; data: { invoiceId: string; companyId: string; partnerId: string } };

/** The entries of an invoice's generation, per account and currency: a void posts their negation. */
export type InvoiceEntries = { account: Account; currency: string; amount: number }[];

function transfer(
  tx: string,
  base: Omit<Posting, 'tx' | 'account' | 'amount' | 'currency' | 'effectiveAt'>,
  debit: Account,
  credit: Account,
  amount: number,
  currency: string,
  effectiveAt: string,
): Posting[] {
  if (amount === 0) return [];
  return [
    { ...base, tx, account: debit, amount, currency, effectiveAt },
    { ...base, tx, account: credit, amount: -amount, currency, effectiveAt },
  ];
}

/** Sums an invoice's lines per line currency (their amounts before conversion). */
export function invoiceTotals(lines: { amount: number; currency: string }[]): InvoiceTotals {
  const totals = new Map<string, number>();
  for (const l of lines) totals.set(l.currency, (totals.get(l.currency) ?? 0) + l.amount);
  return [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ currency, amount }));
}

/**
 * An invoice's generation: lines in the invoice currency move payable → invoiced; converted lines move payable → conversion
 * in their own currency and conversion → invoiced in the invoice currency, at the converted amount the invoice records;
 * the rounding carry moves payable → invoiced (carried in) and invoiced → payable (carried out), in the invoice currency.
 */
function generationPostings(d: GeneratedInvoice, at: string): Posting[] {
  const base = { companyId: d.companyId, partnerId: d.partnerId, commissionId: null, invoiceId: d.invoiceId };
  const into = d.currency;
  const own = d.lines.filter((l) => l.currency === into);
  const postings = invoiceTotals(own).flatMap((t) => transfer(`invoiced_${t.currency}`, base, 'payable', 'invoiced', t.amount, t.currency, at));
  const converted = new Map<string, { amount: number; converted: number }>();
  for (const l of d.lines) {
    if (l.currency === into) continue;
    const c = converted.get(l.currency) ?? { amount: 0, converted: 0 };
    c.amount += l.amount;
    c.converted += l.convertedAmount ?? 0;
    converted.set(l.currency, c);
  }
  for (const [currency, c] of [...converted].sort(([a], [b]) => a.localeCompare(b))) {
    postings.push(
      ...transfer(`invoiced_fx_${currency}`, base, 'payable', 'conversion', c.amount, currency, at),
      ...transfer(`invoiced_fx_${currency}`, base, 'conversion', 'invoiced', c.converted, into, at),
    );
  }
  if (d.carry)
    postings.push(
      ...transfer('invoiced_carry', base, 'payable', 'invoiced', d.carry.in, into, at),
      ...transfer('invoiced_carry', base, 'invoiced', 'payable', d.carry.out, into, at),
    );
  return postings;
}

/**
 * The entries one event posts. `recordedAt` is the event's occurredAt; the move from pending to payable is
 * posted with the earn, dated at payableAt, so balances are right between scheduled runs. `generationOf` gives the
 * entries a generated invoice posted, per account and currency: a void posts their negation, a payment moves what it
 * put into `invoiced` to `paid_out`.
 */
export function postingsFor(event: { type: string; data: unknown }, recordedAt: string, generationOf: (invoiceId: string) => InvoiceEntries): Posting[] {
  const e = event as LedgerEvent;
  switch (e.type) {
    case 'CommissionEarned': {
      const d = e.data;
      const base = { companyId: d.companyId, partnerId: d.partnerId, commissionId: d.commissionId, invoiceId: null };
      // In review it stays pending until approved (CommissionApproved moves it) or declined (back to expense).
      if (d.kind === 'payment' && d.review?.required) return transfer('earned', base, 'expense', 'pending', d.amount, d.currency, recordedAt);
      if (Date.parse(d.payableAt) <= Date.parse(recordedAt)) return transfer('earned', base, 'expense', 'payable', d.amount, d.currency, recordedAt);
      return [
        ...transfer('earned', base, 'expense', 'pending', d.amount, d.currency, recordedAt),
        ...transfer('became_payable', base, 'pending', 'payable', d.amount, d.currency, d.payableAt),
      ];
    }
    case 'CommissionReversed': {
      const d = e.data;
      if (d.mode === 'carried') return [];
      const base = { companyId: d.companyId, partnerId: d.partnerId, commissionId: d.commissionId, invoiceId: null };
      if (d.underReview) return transfer('reversed', base, 'pending', 'expense', d.amount, d.currency, recordedAt);
      if (Date.parse(recordedAt) >= Date.parse(d.payableAt)) return transfer('reversed', base, 'payable', 'expense', d.amount, d.currency, recordedAt);
      return [
        ...transfer('reversed', base, 'pending', 'expense', d.amount, d.currency, recordedAt),
        ...transfer('reversed_before_payable', base, 'payable', 'pending', d.amount, d.currency, d.payableAt),
      ];
    }
    case 'CommissionApproved': {
      const d = e.data;
      const base = { companyId: d.companyId, partnerId: d.partnerId, commissionId: d.commissionId, invoiceId: null };
      const at = Date.parse(d.payableAt) > Date.parse(recordedAt) ? d.payableAt : recordedAt;
      return transfer('approved', base, 'pending', 'payable', d.amount, d.currency, at);
    }
    case 'CommissionDeclined': {
      const d = e.data;
      const base = { companyId: d.companyId, partnerId: d.partnerId, commissionId: d.commissionId, invoiceId: null };
      return transfer('declined', base, 'pending', 'expense', d.amount, d.currency, recordedAt);
    }
    case 'InvoiceGenerated':
      return generationPostings(e.data, recordedAt);
    case 'InvoiceVoided': {
      const base = { companyId: e.data.companyId, partnerId: e.data.partnerId, commissionId: null, invoiceId: e.data.invoiceId };
      return generationOf(e.data.invoiceId)
        .filter((x) => x.amount !== 0)
        .map((x) => ({ ...base, tx: 'voided', account: x.account, currency: x.currency, amount: -x.amount, effectiveAt: recordedAt }));
    }
    case 'InvoicePaid': {
      const base = { companyId: e.data.companyId, partnerId: e.data.partnerId, commissionId: null, invoiceId: e.data.invoiceId };
      const invoiced = generationOf(e.data.invoiceId).filter((x) => x.account === 'invoiced');
      return invoiced.flatMap((x) => transfer(`paid_${x.currency}`, base, 'invoiced', 'paid_out', -x.amount, x.currency, recordedAt));
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
  /** Net amount converted out of (positive) or into (negative) this currency by invoices in another currency. */
  converted: number;
}

/** What the company owes the partner per currency, from account sums (liabilities are credit balances). */
export function balancesFrom(sums: { currency: string; account: Account; amount: number }[]): Balance[] {
  const by = new Map<string, Balance>();
  for (const s of sums) {
    const b = by.get(s.currency) ?? { currency: s.currency, pending: 0, payable: 0, invoiced: 0, paid: 0, converted: 0 };
    if (s.account === 'pending') b.pending -= s.amount;
    else if (s.account === 'payable') b.payable -= s.amount;
    else if (s.account === 'invoiced') b.invoiced -= s.amount;
    else if (s.account === 'paid_out') b.paid -= s.amount;
    else if (s.account === 'conversion') b.converted -= s.amount;
    by.set(s.currency, b);
  }
  return [...by.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}
