import type { Event } from '../../../libs/event-store/event-store.port.js';
import type { AttributionMethod, PaymentAttributed, PaymentEvent, PaymentRecorded, PaymentRefunded, PaymentUnattributed } from './payment.events.js';
import { isEventOf } from '../../../libs/event-store/aggregate.js';

export type PaymentFacts = PaymentRecorded['data'];

/** A refund (`amountRefunded` is the charge's cumulative total, as Stripe reports it) or a lost dispute. */
export type Reversal =
  | { kind: 'refund'; chargeId: string; amountRefunded: number; currency: string; occurredAt: string; stripeEventId: string }
  | { kind: 'dispute_lost'; disputeId: string; chargeId: string | null; amount: number; currency: string; occurredAt: string; stripeEventId: string };

export const reversalId = (r: Reversal): string => (r.kind === 'refund' ? `${r.chargeId}:refunded:${r.amountRefunded}` : r.disputeId);

export interface PaymentState {
  facts: PaymentFacts | null;
  attribution: {
    status: 'attributed' | 'unattributed';
    leadId: string | null;
    partnerId: string | null;
    method: AttributionMethod | null;
    trace: string[];
  } | null;
  /** Highest cumulative `amount_refunded` applied per charge: a lower or equal one is a redelivery. */
  chargeRefunds: Record<string, number>;
  disputes: string[];
  refundedTotal: number;
}

export const initialPayment: PaymentState = { facts: null, attribution: null, chargeRefunds: {}, disputes: [], refundedTotal: 0 };

const isPaymentEvent = isEventOf<PaymentEvent>()('PaymentRecorded', 'PaymentAttributed', 'PaymentUnattributed', 'PaymentRefunded');

export function evolvePayment(state: PaymentState, e: Event): PaymentState {
  if (!isPaymentEvent(e)) return state;
  switch (e.type) {
    case 'PaymentRecorded':
      return { ...state, facts: e.data };
    case 'PaymentAttributed':
      return {
        ...state,
        attribution: { status: 'attributed', leadId: e.data.leadId, partnerId: e.data.partnerId, method: e.data.method, trace: e.data.trace },
      };
    case 'PaymentUnattributed':
      return { ...state, attribution: { status: 'unattributed', leadId: null, partnerId: null, method: null, trace: e.data.trace } };
    case 'PaymentRefunded': {
      const d = e.data;
      const chargeRefunds = d.reason === 'refund' && d.chargeId ? { ...state.chargeRefunds, [d.chargeId]: d.chargeRefundedTotal ?? 0 } : state.chargeRefunds;
      const disputes = d.reason === 'dispute_lost' && d.disputeId ? [...state.disputes, d.disputeId] : state.disputes;
      return { ...state, chargeRefunds, disputes, refundedTotal: d.refundedTotal };
    }
    default:
      return state;
  }
}

/** What attribution found when the payment arrived. */
export interface AttributionInput {
  /** The lead holding the payment's customer id (from the customer stream), with how it was linked. */
  customerHolder: { leadId: string; partnerId: string; linkMethod: string | null } | null;
  /** The oldest lead whose email equals the payment's, case-insensitively. */
  emailLead: { leadId: string; partnerId: string; customerId: string | null } | null;
  /** Every lead with that email, oldest first (absent: only `emailLead`). */
  emailMatches?: { leadId: string; partnerId: string }[];
  /**
   * The lead a customer-less Checkout Session named for the payment's payment intent (checkout-payment stream), by its
   * client_reference_id or, without one, its promotion code (`method`; absent on claims made before promotion codes).
   */
  checkoutHolder?: { leadId: string; partnerId: string; sessionId: string; method?: 'client_reference_id' | 'promotion_code' } | null;
  /**
   * The partner holding one of the payment's promotion codes, with its lead for this payment (its lead with the
   * payment's email, or one to create: `leadId` null when there is no email to create it with).
   */
  promotion?: { code: string; partnerId: string; leadId: string | null; created: boolean } | null;
}

export type AttributionDecision =
  | { status: 'attributed'; leadId: string; partnerId: string; method: AttributionMethod; trace: string[]; saveCustomerOnLead: boolean; linkCustomer?: boolean }
  | { status: 'unattributed'; trace: string[] };

/**
 * SPEC §10's order, each step in the trace: the customer id (a customer linked from a checkout's client_reference_id
 * or promotion code keeps that method), then for a payment without a customer the lead a customer-less checkout named
 * for its payment intent, then a promotion code of a partner (linking the customer to that partner's lead), then the
 * email (saving the customer id on the lead), else unattributed. An email that leads of more than one partner share is
 * ambiguous: no partner is chosen for the others, the payment stays unattributed with the leads in its trace (the
 * diagnosis shows them) until the admin links the customer. Leads of one partner sharing it: the oldest.
 */
export function decideAttribution(
  facts: Pick<PaymentFacts, 'customerId' | 'email' | 'promotionCodes'> & { paymentIntentId?: string | null },
  input: AttributionInput,
): AttributionDecision {
  const trace: string[] = [];
  const { customerId, email } = facts;
  if (customerId && input.customerHolder) {
    const h = input.customerHolder;
    // Linked from a checkout's client_reference_id or a promotion code: that method, whether the link came before or after the payment.
    const method: AttributionMethod = h.linkMethod === 'client_reference_id' || h.linkMethod === 'promotion_code' ? h.linkMethod : 'customer_id';
    const how = method === 'customer_id' ? '' : ` (linked by ${method === 'client_reference_id' ? 'checkout client_reference_id' : 'promotion code'})`;
    return {
      status: 'attributed',
      leadId: h.leadId,
      partnerId: h.partnerId,
      method,
      trace: [`lead ${h.leadId} has customer ${customerId}${how}`],
      saveCustomerOnLead: false,
    };
  }
  trace.push(customerId ? `no lead with customer ${customerId}` : 'payment has no customer id');
  if (input.checkoutHolder) {
    const h = input.checkoutHolder;
    const method = h.method ?? 'client_reference_id';
    trace.push(
      `checkout session ${h.sessionId} named lead ${h.leadId} (${method === 'client_reference_id' ? 'client_reference_id' : 'promotion code'}) for payment intent ${facts.paymentIntentId}`,
    );
    return { status: 'attributed', leadId: h.leadId, partnerId: h.partnerId, method, trace, saveCustomerOnLead: false };
  }
  if (!customerId && facts.paymentIntentId) trace.push(`no checkout session named a lead for payment intent ${facts.paymentIntentId}`);
  const codes = facts.promotionCodes ?? [];
  if (codes.length) {
    const p = input.promotion;
    if (!p) trace.push(`no partner has promotion code ${codes.join(', ')}`);
    else if (!p.leadId) trace.push(`promotion code ${p.code} is partner ${p.partnerId}'s, but the payment has no email to create its lead with`);
    else {
      trace.push(`promotion code ${p.code} is partner ${p.partnerId}'s: ${p.created ? 'new lead' : 'lead'} ${p.leadId}`);
      if (customerId) trace.push(`customer ${customerId} linked to lead ${p.leadId}`);
      return {
        status: 'attributed',
        leadId: p.leadId,
        partnerId: p.partnerId,
        method: 'promotion_code',
        trace,
        saveCustomerOnLead: false,
        linkCustomer: customerId !== null,
      };
    }
  }
  if (!email) return { status: 'unattributed', trace: [...trace, 'payment has no email'] };
  const lead = input.emailLead;
  if (!lead) return { status: 'unattributed', trace: [...trace, `no lead with email ${email}`] };
  const matches = input.emailMatches ?? [lead];
  const partners = new Set(matches.map((m) => m.partnerId));
  if (partners.size > 1) {
    const named = matches.map((m) => `${m.leadId} of ${m.partnerId}`).join(', ');
    return {
      status: 'unattributed',
      trace: [
        ...trace,
        `email ${email} matches leads of ${partners.size} partners (${named}): ambiguous, not attributed by email; link the customer to the right lead`,
      ],
    };
  }
  if (matches.length > 1) trace.push(`${matches.length} leads of partner ${lead.partnerId} have email ${email}: the oldest, ${lead.leadId}, is used`);
  trace.push(`lead ${lead.leadId} has email ${email}`);
  const save = customerId !== null && lead.customerId === null;
  if (save) trace.push(`customer ${customerId} saved on lead ${lead.leadId}`);
  else if (customerId && lead.customerId) trace.push(`lead ${lead.leadId} already has customer ${lead.customerId}; ${customerId} not saved`);
  return { status: 'attributed', leadId: lead.leadId, partnerId: lead.partnerId, method: 'email', trace, saveCustomerOnLead: save };
}

function attributed(
  facts: PaymentFacts,
  lead: { leadId: string; partnerId: string },
  method: AttributionMethod,
  trace: string[],
  refundedAmount: number,
): PaymentAttributed {
  const { paymentId, companyId, customerId, amount, tax, net, currency, paidAt, email, commissionExcluded } = facts;
  return {
    type: 'PaymentAttributed',
    data: {
      paymentId,
      companyId,
      leadId: lead.leadId,
      partnerId: lead.partnerId,
      method,
      trace,
      customerId,
      amount,
      tax,
      net,
      currency,
      paidAt,
      refundedAmount,
      email,
      ...(commissionExcluded && { commissionExcluded }),
    },
  };
}

/** The payment's first events, then any reversals that arrived before it, in a fixed order. */
export function decideRecordPayment(facts: PaymentFacts, decision: AttributionDecision, parked: Reversal[]): PaymentEvent[] {
  const recorded: PaymentRecorded = { type: 'PaymentRecorded', data: facts };
  const attribution: PaymentAttributed | PaymentUnattributed =
    decision.status === 'attributed'
      ? attributed(facts, decision, decision.method, decision.trace, 0)
      : { type: 'PaymentUnattributed', data: { paymentId: facts.paymentId, companyId: facts.companyId, trace: decision.trace } };
  const events: PaymentEvent[] = [recorded, attribution];
  return [...events, ...decideReversals(events.reduce(evolvePayment, initialPayment), parked)];
}

/** Several reversals (parked ones) applied in a fixed order, whatever order they arrived in. */
export function decideReversals(state: PaymentState, reversals: Reversal[]): PaymentRefunded[] {
  const events: PaymentRefunded[] = [];
  const ordered = [...reversals].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || reversalId(a).localeCompare(reversalId(b)));
  for (const r of ordered) {
    for (const e of decideReversal(state, r)) {
      events.push(e);
      state = evolvePayment(state, e);
    }
  }
  return events;
}

/** Idempotent: a redelivered or older refund total, or a dispute already applied, changes nothing; never above the amount. */
export function decideReversal(state: PaymentState, r: Reversal): PaymentRefunded[] {
  const facts = state.facts;
  if (!facts || r.currency.toLowerCase() !== facts.currency) return [];
  const remaining = facts.amount - state.refundedTotal;
  let wanted: number;
  if (r.kind === 'refund') {
    const before = state.chargeRefunds[r.chargeId] ?? 0;
    if (r.amountRefunded <= before) return [];
    wanted = r.amountRefunded - before;
  } else {
    if (state.disputes.includes(r.disputeId)) return [];
    wanted = r.amount;
  }
  const amount = Math.min(wanted, remaining);
  if (amount <= 0) return [];
  return [
    {
      type: 'PaymentRefunded',
      data: {
        paymentId: facts.paymentId,
        companyId: facts.companyId,
        reversalId: reversalId(r),
        reason: r.kind,
        amount,
        refundedTotal: state.refundedTotal + amount,
        currency: facts.currency,
        occurredAt: r.occurredAt,
        paymentAmount: facts.amount,
        chargeId: r.chargeId,
        chargeRefundedTotal: r.kind === 'refund' ? r.amountRefunded : undefined,
        disputeId: r.kind === 'dispute_lost' ? r.disputeId : null,
        stripeEventId: r.stripeEventId,
      },
    },
  ];
}

/** A customer linked after its payments: attribute the ones still unattributed (never move an attributed one). */
export function decideLateAttribution(
  state: PaymentState,
  lead: { leadId: string; partnerId: string },
  method: AttributionMethod,
  note: string,
): PaymentAttributed[] {
  if (!state.facts || state.attribution?.status !== 'unattributed') return [];
  return [attributed(state.facts, lead, method, [...state.attribution.trace, note], state.refundedTotal)];
}
