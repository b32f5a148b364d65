import { WEBMAIL_DOMAINS } from './webmail-domains.js';

/** SPEC §11's fraud checks on a new commission; each flag says in words what was found. */
export type FraudFlagCode = 'self_referral' | 'duplicate_customer' | 'high_refund_rate';
export interface FraudFlag {
  code: FraudFlagCode;
  detail: string;
}

export const REFUND_WINDOW_DAYS = 90;
export const MIN_PAYMENTS_FOR_REFUND_RATE = 5;

/** A partner's payments of the last 90 days before the new one (inclusive), per currency, the new one included. */
export interface RefundWindow {
  from: string;
  payments: number;
  revenue: { currency: string; amount: number; refunded: number }[];
}

export interface FraudFacts {
  partner: { partnerId: string; email: string };
  /** The lead's email and the paying customer's (the payment's), when known. */
  leadEmail: string | null;
  paymentEmail: string | null;
  /** Leads of other partners whose email is the lead's or the payment's. */
  otherPartnersLeads: { leadId: string; partnerId: string; email: string }[];
  window: RefundWindow;
  refundRateThreshold: number;
}

const WEBMAIL = new Set(WEBMAIL_DOMAINS);
const domainOf = (email: string): string => email.slice(email.lastIndexOf('@') + 1).toLowerCase();
const percent = (x: number): string => `${Math.round(x * 1000) / 10}%`;

function selfReferral(partnerEmail: string, emails: { who: string; email: string | null }[]): FraudFlag | null {
  const own = partnerEmail.trim().toLowerCase();
  if (!own.includes('@')) return null;
  const ownDomain = domainOf(own);
  for (const { who, email } of emails) {
    const e = email?.trim().toLowerCase();
    if (!e || !e.includes('@')) continue;
    if (e === own) return { code: 'self_referral', detail: `the ${who} email ${e} is the partner's own email` };
    if (domainOf(e) === ownDomain && !WEBMAIL.has(ownDomain))
      return { code: 'self_referral', detail: `the ${who} email ${e} shares the partner's domain ${ownDomain} (partner ${own})` };
  }
  return null;
}

function duplicateCustomer(leads: FraudFacts['otherPartnersLeads']): FraudFlag | null {
  if (leads.length === 0) return null;
  const named = leads
    .slice(0, 5)
    .map((l) => `lead ${l.leadId} of partner ${l.partnerId}`)
    .join(', ');
  return { code: 'duplicate_customer', detail: `${leads[0]!.email} is also ${named}${leads.length > 5 ? ` and ${leads.length - 5} more` : ''}` };
}

function highRefundRate(window: RefundWindow, threshold: number): FraudFlag | null {
  if (window.payments < MIN_PAYMENTS_FOR_REFUND_RATE) return null;
  const over = window.revenue.filter((r) => r.amount > 0 && r.refunded / r.amount > threshold);
  if (over.length === 0) return null;
  const parts = over.map((r) => `${percent(r.refunded / r.amount)} of ${r.currency} revenue (${r.refunded} of ${r.amount} minor units)`);
  return {
    code: 'high_refund_rate',
    detail: `the partner's payments since ${window.from.slice(0, 10)} (${window.payments}, this one included) were refunded ${parts.join(', ')}; the threshold is ${percent(threshold)}`,
  };
}

/** The flags a new commission carries, in SPEC order; none is the common case. */
export function fraudFlags(f: FraudFacts): FraudFlag[] {
  return [
    selfReferral(f.partner.email, [
      { who: 'lead', email: f.leadEmail },
      { who: 'paying customer', email: f.paymentEmail },
    ]),
    duplicateCustomer(f.otherPartnersLeads.filter((l) => l.partnerId !== f.partner.partnerId)),
    highRefundRate(f.window, f.refundRateThreshold),
  ].filter((x): x is FraudFlag => x !== null);
}

/** Under manual review every commission waits; under auto only a flagged one. */
export const reviewOf = (mode: 'auto' | 'manual', flags: FraudFlag[]) => ({ required: mode === 'manual' || flags.length > 0, mode, flags });
