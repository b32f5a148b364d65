import type { InvoiceStatus } from '../../invoicing/index.js';
import type { InvoiceSchedule } from '../../shared-kernel/invoice-schedule.js';

export type CheckId =
  | 'payments_attributed'
  | 'lead_linked'
  | 'revenue_present'
  | 'connected_account'
  | 'bank_details'
  | 'company_card'
  | 'payout_method'
  | 'invoice_status'
  | 'schedule_configured';

export interface ReadinessCheck {
  id: CheckId;
  ok: boolean;
  detail: string;
  fix: string | null;
  /** Whether `ready` needs it: Connect (with the company card) and bank details are alternatives, `payout_method` needs one. */
  required: boolean;
}

/** What the checklist is computed from. */
export interface ReadinessFacts {
  leads: number;
  payments: { attributed: number; revenue: { currency: string; amount: number }[] };
  /** `transfersActive` null: not known yet. */
  account: { id: string; payoutsEnabled: boolean; detailsSubmitted: boolean; transfersActive: boolean | null } | null;
  bankDetails: boolean;
  card: { brand: string; last4: string } | null;
  /** The latest payment method the company saved that is not a card (Pay cannot charge it). */
  refusedMethod?: { id: string; type: string } | null;
  invoices: {
    counts: Partial<Record<InvoiceStatus, number>>;
    latest: { id: string; number: string; status: InvoiceStatus; failureReason: string | null } | null;
  };
  schedule: { configured: boolean; current: InvoiceSchedule };
}

const ALTERNATIVES: readonly CheckId[] = ['connected_account', 'bank_details', 'company_card'];
const check = (id: CheckId, ok: boolean, detail: string, fix: string): ReadinessCheck => ({
  id,
  ok,
  detail,
  fix: ok ? null : fix,
  required: !ALTERNATIVES.includes(id),
});

/** The seed's "Partner not receiving commission" checklist, in its order, as data. */
export function readinessChecks(f: ReadinessFacts): ReadinessCheck[] {
  const revenue = f.payments.revenue.filter((r) => r.amount > 0);
  return [
    check(
      'payments_attributed',
      f.payments.attributed > 0,
      `${f.payments.attributed} payment(s) attributed to this partner’s leads`,
      'Find the partner’s payments among GET /v1/payments?attribution=unattributed (GET /v1/payments/{id}/diagnosis says why) and link the customer to the lead with PUT /v1/leads/{id}/stripe-customer',
    ),
    check(
      'lead_linked',
      f.leads > 0,
      `${f.leads} lead(s) linked to this partner`,
      'Create the partner’s leads with POST /v1/leads {partnerId, email}, or correct the partnerId of a lead',
    ),
    check(
      'revenue_present',
      revenue.length > 0,
      revenue.length ? `revenue ${revenue.map((r) => `${r.amount} ${r.currency}`).join(', ')} (minor units)` : 'no revenue from attributed payments',
      'Check that the company’s Stripe webhook is connected (PUT /v1/company/stripe) and that payments reach /v1/webhooks/stripe/{companyId}; run POST /v1/company/stripe/reconcile for missed ones',
    ),
    accountCheck(f.account),
    check(
      'bank_details',
      f.bankDetails,
      f.bankDetails ? 'bank details on file' : 'no bank details',
      'Ask the partner to add bank details in the portal (PATCH /v1/portal/bank-details); they appear on invoices paid off-platform',
    ),
    check(
      'company_card',
      f.card !== null,
      f.card
        ? `${f.card.brand} ending ${f.card.last4}`
        : f.refusedMethod
          ? `no payment card: the saved payment method ${f.refusedMethod.id} is a ${f.refusedMethod.type}, which Pay cannot charge`
          : 'no payment card',
      'Add a payment card in Payment Settings (POST /v1/company/payment-method/setup-intent, then confirm it with Stripe.js)',
    ),
    payoutMethod(f),
    invoiceCheck(f.invoices),
    check(
      'schedule_configured',
      f.schedule.configured,
      `${f.schedule.configured ? '' : 'default schedule, never configured: '}${f.schedule.current.frequency} on day ${f.schedule.current.day}, hold ${f.schedule.current.holdDays} days, minimum payout ${f.schedule.current.minimumPayout}`,
      'Set the invoice schedule (PATCH /v1/company {invoiceSchedule: {frequency, day, holdDays, minimumPayout}}) so invoices are generated when you expect',
    ),
  ];
}

function accountCheck(account: ReadinessFacts['account']): ReadinessCheck {
  if (!account)
    return check(
      'connected_account',
      false,
      'no Stripe account connected',
      'Ask the partner to connect Stripe from the portal (POST /v1/portal/stripe/onboarding-link)',
    );
  const transfers = account.transfersActive === null ? 'transfers capability not known yet' : `transfers ${account.transfersActive ? 'active' : 'not active'}`;
  const detail = `Stripe account ${account.id}: payouts ${account.payoutsEnabled ? 'enabled' : 'not enabled'}, ${transfers}${account.detailsSubmitted ? '' : ', details not submitted'}`;
  return check(
    'connected_account',
    account.payoutsEnabled && account.transfersActive === true,
    detail,
    'Ask the partner to finish Stripe onboarding from the portal (POST /v1/portal/stripe/onboarding-link gives a fresh link) until payouts are enabled and transfers are active',
  );
}

function invoiceCheck(invoices: ReadinessFacts['invoices']): ReadinessCheck {
  const counts = Object.entries(invoices.counts)
    .filter(([, n]) => n)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const latest = invoices.latest;
  if (!latest)
    return check(
      'invoice_status',
      false,
      'no invoice yet',
      'Invoices are generated by the schedule once commissions are payable; POST /v1/invoices/generate runs it now',
    );
  const detail = `latest invoice ${latest.number} is ${latest.status} (${counts})`;
  const blocked = (invoices.counts.payment_failed ?? 0) + (invoices.counts.pending_approval ?? 0) + (invoices.counts.approved ?? 0);
  const fixes: Record<string, string> = {
    payment_failed: `Payment failed${latest.failureReason ? `: ${latest.failureReason}` : ''}. After the fix, POST /v1/invoices/${latest.id}/pay again`,
    pending_approval: `Review and approve invoice ${latest.number} (POST /v1/invoices/${latest.id}/approve)`,
    approved: `Pay invoice ${latest.number} (POST /v1/invoices/${latest.id}/pay) or mark it as paid`,
  };
  return check(
    'invoice_status',
    blocked === 0,
    detail,
    fixes[latest.status] ?? 'Approve and pay the invoices waiting for action (GET /v1/invoices?status=pending_approval, approved, payment_failed)',
  );
}

/** Paid through Stripe (Connect with payouts enabled, and the company's card), or off-platform to the bank details. */
function payoutMethod(f: ReadinessFacts): ReadinessCheck {
  const stripe = f.account?.payoutsEnabled === true && f.account.transfersActive === true && f.card !== null;
  const routes = [stripe && 'Stripe Connect (Pay)', f.bankDetails && 'bank details (mark as paid)'].filter(Boolean);
  return check(
    'payout_method',
    routes.length > 0,
    routes.length ? `can be paid by ${routes.join(' or ')}` : 'no way to pay the partner yet',
    'Either the partner connects Stripe with payouts enabled and transfers active and the company adds a card (Pay), or the partner stores bank details for off-platform payment (PATCH /v1/portal/bank-details)',
  );
}

/** The checklist and its verdict: ready when every required check passes. */
export function readiness(f: ReadinessFacts): { ready: boolean; checks: ReadinessCheck[] } {
  const checks = readinessChecks(f);
  return { ready: checks.every((c) => c.ok || !c.required), checks };
}
