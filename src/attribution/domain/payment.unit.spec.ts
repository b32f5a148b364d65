import { describe, it, expect } from '@jest/globals';
import { evolveLead, initialLead, type LeadState } from './lead.js';
import { evolveCustomer, initialCustomer, type CustomerState } from './customer.js';
import {
  decideAttribution,
  decideLateAttribution,
  decideRecordPayment,
  decideReversal,
  evolvePayment,
  initialPayment,
  type AttributionInput,
  type PaymentFacts,
  type Reversal,
} from './payment.js';
import type { PaymentEvent } from './payment.events.js';
import { recorded as storedEvent } from '../../../libs/event-store/testing/recorded.js';

const recorded = (type: string, data: Record<string, unknown>) => storedEvent({ type, data });

/** Given lead and customer events: what attribution would look up for a payment. */
function given(events: [string, Record<string, unknown>][]) {
  const leads = new Map<string, LeadState>();
  const customers = new Map<string, CustomerState>();
  for (const [type, data] of events) {
    if (type.startsWith('Lead')) leads.set(data.leadId as string, evolveLead(leads.get(data.leadId as string) ?? initialLead, recorded(type, data)));
    else customers.set(data.customerId as string, evolveCustomer(customers.get(data.customerId as string) ?? initialCustomer, recorded(type, data)));
  }
  const input = (facts: Pick<PaymentFacts, 'customerId' | 'email'>): AttributionInput => {
    const claim = facts.customerId ? customers.get(facts.customerId)?.claim : undefined;
    const matches = facts.email ? [...leads.entries()].filter(([, l]) => l.email.toLowerCase() === facts.email!.toLowerCase()) : [];
    const emailMatch = matches[0];
    return {
      customerHolder: claim ? { leadId: claim.leadId, partnerId: leads.get(claim.leadId)!.partnerId, linkMethod: claim.method } : null,
      emailLead: emailMatch ? { leadId: emailMatch[0], partnerId: emailMatch[1].partnerId, customerId: emailMatch[1].customerId } : null,
      emailMatches: matches.map(([leadId, l]) => ({ leadId, partnerId: l.partnerId })),
    };
  };
  return {
    whenPaymentArrives: (facts: PaymentFacts, parked: Reversal[] = []) => {
      const decision = decideAttribution(facts, input(facts));
      return { decision, events: decideRecordPayment(facts, decision, parked) };
    },
  };
}

const facts = (o: Partial<PaymentFacts> = {}): PaymentFacts => ({
  paymentId: 'pay_1',
  companyId: 'co_1',
  stripeObjectId: 'in_1',
  chargeId: 'ch_1',
  paymentIntentId: 'pi_1',
  invoiceId: 'in_1',
  customerId: 'cus_NEW',
  email: 'billing@techstartup.com',
  amount: 12000,
  tax: 2000,
  net: 10000,
  currency: 'usd',
  paidAt: '2026-01-01T00:00:00.000Z',
  stripeEventId: 'evt_1',
  ...o,
});
const john = ['LeadCreated', { leadId: 'ld_john', companyId: 'co_1', partnerId: 'pa_1', email: 'john@techstartup.com', name: 'John' }] as [
  string,
  Record<string, unknown>,
];
const attributedData = (o: Record<string, unknown>) => ({
  paymentId: 'pay_1',
  companyId: 'co_1',
  customerId: 'cus_NEW',
  amount: 12000,
  tax: 2000,
  net: 10000,
  currency: 'usd',
  paidAt: '2026-01-01T00:00:00.000Z',
  refundedAmount: 0,
  email: 'billing@techstartup.com',
  ...o,
});

describe('attribution of a payment', () => {
  it('customer id first: the lead holding the customer gets it, whatever the email', () => {
    const { events } = given([john, ['CustomerClaimed', { companyId: 'co_1', customerId: 'cus_NEW', leadId: 'ld_john', method: 'manual' }]]).whenPaymentArrives(
      facts(),
    );
    expect(events).toEqual([
      { type: 'PaymentRecorded', data: facts() },
      {
        type: 'PaymentAttributed',
        data: attributedData({ leadId: 'ld_john', partnerId: 'pa_1', method: 'customer_id', trace: ['lead ld_john has customer cus_NEW'] }),
      },
    ]);
  });

  it('a customer linked from a checkout client_reference_id attributes with that method', () => {
    const { decision } = given([
      john,
      ['CustomerClaimed', { companyId: 'co_1', customerId: 'cus_NEW', leadId: 'ld_john', method: 'client_reference_id' }],
    ]).whenPaymentArrives(facts());
    expect(decision).toMatchObject({ status: 'attributed', method: 'client_reference_id' });
  });

  it('an email matching leads of two partners is ambiguous: unattributed, the trace names both', () => {
    const billing = (leadId: string, partnerId: string) =>
      ['LeadCreated', { leadId, companyId: 'co_1', partnerId, email: 'Billing@techstartup.com', name: null }] as [string, Record<string, unknown>];
    const { decision, events } = given([billing('ld_a', 'pa_1'), billing('ld_b', 'pa_2')]).whenPaymentArrives(facts());
    expect(decision).toEqual({
      status: 'unattributed',
      trace: [
        'no lead with customer cus_NEW',
        'email billing@techstartup.com matches leads of 2 partners (ld_a of pa_1, ld_b of pa_2): ambiguous, not attributed by email; link the customer to the right lead',
      ],
    });
    expect(events.map((e) => e.type)).toEqual(['PaymentRecorded', 'PaymentUnattributed']);
  });

  it('several leads of one partner with the email: the oldest, saying so', () => {
    const billing = (leadId: string) =>
      ['LeadCreated', { leadId, companyId: 'co_1', partnerId: 'pa_1', email: 'billing@techstartup.com', name: null }] as [string, Record<string, unknown>];
    const { decision } = given([billing('ld_old'), billing('ld_new')]).whenPaymentArrives(facts());
    expect(decision).toMatchObject({
      status: 'attributed',
      leadId: 'ld_old',
      method: 'email',
      trace: expect.arrayContaining(['2 leads of partner pa_1 have email billing@techstartup.com: the oldest, ld_old, is used']),
    });
  });

  it('the customer id wins over an email that matches another lead', () => {
    const jane = ['LeadCreated', { leadId: 'ld_jane', companyId: 'co_1', partnerId: 'pa_2', email: 'billing@techstartup.com', name: null }] as [
      string,
      Record<string, unknown>,
    ];
    const { decision } = given([
      john,
      jane,
      ['CustomerClaimed', { companyId: 'co_1', customerId: 'cus_NEW', leadId: 'ld_john', method: 'email' }],
    ]).whenPaymentArrives(facts());
    expect(decision).toMatchObject({ status: 'attributed', leadId: 'ld_john', method: 'customer_id', saveCustomerOnLead: false });
  });

  it('email fallback, case-insensitive: attributed and the customer id saved on the lead', () => {
    const { decision, events } = given([john]).whenPaymentArrives(facts({ email: 'John@TechStartup.COM' }));
    expect(decision).toEqual({
      status: 'attributed',
      leadId: 'ld_john',
      partnerId: 'pa_1',
      method: 'email',
      saveCustomerOnLead: true,
      trace: ['no lead with customer cus_NEW', 'lead ld_john has email John@TechStartup.COM', 'customer cus_NEW saved on lead ld_john'],
    });
    expect(events[1]).toMatchObject({ type: 'PaymentAttributed', data: { method: 'email', leadId: 'ld_john' } });
  });

  it('email fallback onto a lead that already has another customer: attributed, the id is not saved', () => {
    const { decision } = given([
      john,
      ['LeadCustomerLinked', { leadId: 'ld_john', companyId: 'co_1', partnerId: 'pa_1', customerId: 'cus_OLD', method: 'manual' }],
    ]).whenPaymentArrives(facts({ email: 'john@techstartup.com' }));
    expect(decision).toMatchObject({ status: 'attributed', saveCustomerOnLead: false });
    expect(decision.trace).toContain('lead ld_john already has customer cus_OLD; cus_NEW not saved');
  });

  it('the seed case: lead john@, payment from billing@techstartup.com, no customer link → unattributed with the trace', () => {
    const { events } = given([john]).whenPaymentArrives(facts());
    expect(events).toEqual([
      { type: 'PaymentRecorded', data: facts() },
      {
        type: 'PaymentUnattributed',
        data: { paymentId: 'pay_1', companyId: 'co_1', trace: ['no lead with customer cus_NEW', 'no lead with email billing@techstartup.com'] },
      },
    ]);
  });

  it('a payment with neither customer nor email says so', () => {
    const { events } = given([john]).whenPaymentArrives(facts({ customerId: null, email: null, paymentIntentId: null }));
    expect(events[1]).toEqual({
      type: 'PaymentUnattributed',
      data: { paymentId: 'pay_1', companyId: 'co_1', trace: ['payment has no customer id', 'payment has no email'] },
    });
  });

  it('a payment without customer id still matches by email, without saving anything', () => {
    const { decision } = given([john]).whenPaymentArrives(facts({ customerId: null, email: 'john@techstartup.com' }));
    expect(decision).toMatchObject({
      status: 'attributed',
      method: 'email',
      saveCustomerOnLead: false,
      trace: ['payment has no customer id', 'no checkout session named a lead for payment intent pi_1', 'lead ld_john has email john@techstartup.com'],
    });
  });

  it('a guest payment whose payment intent a customer-less checkout named: that lead, method client_reference_id, before any email match', () => {
    const checkoutHolder = { leadId: 'ld_guest', partnerId: 'pa_2', sessionId: 'cs_1' };
    const decision = decideAttribution(
      { customerId: null, email: 'john@techstartup.com', paymentIntentId: 'pi_1' },
      { customerHolder: null, emailLead: { leadId: 'ld_john', partnerId: 'pa_1', customerId: null }, checkoutHolder },
    );
    expect(decision).toEqual({
      status: 'attributed',
      leadId: 'ld_guest',
      partnerId: 'pa_2',
      method: 'client_reference_id',
      saveCustomerOnLead: false,
      trace: ['payment has no customer id', 'checkout session cs_1 named lead ld_guest (client_reference_id) for payment intent pi_1'],
    });
  });
});

const refund = (amountRefunded: number, at = '2026-01-02T00:00:00.000Z'): Reversal => ({
  kind: 'refund',
  chargeId: 'ch_1',
  amountRefunded,
  currency: 'usd',
  occurredAt: at,
  stripeEventId: `evt_r${amountRefunded}`,
});
const dispute = (amount: number): Reversal => ({
  kind: 'dispute_lost',
  disputeId: 'dp_1',
  chargeId: 'ch_1',
  amount,
  currency: 'usd',
  occurredAt: '2026-01-03T00:00:00.000Z',
  stripeEventId: 'evt_dp',
});
const fold = (events: PaymentEvent[]) => events.reduce(evolvePayment, initialPayment);

describe('refunds and lost disputes', () => {
  const paid = given([john]).whenPaymentArrives(facts()).events;

  it('a partial refund, then the rest: amounts are deltas of the cumulative total', () => {
    const first = decideReversal(fold(paid), refund(3000));
    expect(first).toEqual([
      {
        type: 'PaymentRefunded',
        data: expect.objectContaining({ reason: 'refund', amount: 3000, refundedTotal: 3000, reversalId: 'ch_1:refunded:3000', paymentAmount: 12000 }),
      },
    ]);
    const second = decideReversal(fold([...paid, ...first]), refund(12000));
    expect(second[0]!.data).toMatchObject({ amount: 9000, refundedTotal: 12000 });
  });

  it('a redelivered or older cumulative total changes nothing', () => {
    const state = fold([...paid, ...decideReversal(fold(paid), refund(5000))]);
    expect(decideReversal(state, refund(5000))).toEqual([]);
    expect(decideReversal(state, refund(3000))).toEqual([]);
  });

  it('a lost dispute reverses once, never above the amount paid', () => {
    const afterRefund = [...paid, ...decideReversal(fold(paid), refund(10000))];
    const lost = decideReversal(fold(afterRefund), dispute(12000));
    expect(lost[0]!.data).toMatchObject({ reason: 'dispute_lost', amount: 2000, refundedTotal: 12000, disputeId: 'dp_1' });
    expect(decideReversal(fold([...afterRefund, ...lost]), dispute(12000))).toEqual([]);
  });

  it('a reversal in another currency, or for no payment, is not applied', () => {
    expect(decideReversal(fold(paid), { ...refund(100), currency: 'eur' })).toEqual([]);
    expect(decideReversal(initialPayment, refund(100))).toEqual([]);
  });

  it('refunds parked before the payment give the same end state as refunds after it', () => {
    const before = given([john]).whenPaymentArrives(facts(), [refund(8000, '2026-01-05T00:00:00.000Z'), refund(3000, '2026-01-04T00:00:00.000Z')]).events;
    let after = paid;
    for (const r of [refund(3000), refund(8000)]) after = [...after, ...decideReversal(fold(after), r)];
    expect(fold(before).refundedTotal).toBe(8000);
    expect(fold(before)).toEqual(fold(after));
    expect(before.map((e) => e.type)).toEqual(['PaymentRecorded', 'PaymentUnattributed', 'PaymentRefunded', 'PaymentRefunded']);
  });
});

describe('commission exclusion (SPEC §11)', () => {
  it('a payment excluded by Stripe metadata is still recorded and attributed, and its attribution carries the exclusion', () => {
    const commissionExcluded = { where: 'subscription' as const, reason: 'metadata partnerflow: "false" on subscription sub_1' };
    const { events } = given([john, ['CustomerClaimed', { companyId: 'co_1', customerId: 'cus_NEW', leadId: 'ld_john', method: 'manual' }]]).whenPaymentArrives(
      facts({ commissionExcluded }),
    );
    expect(events.map((e) => e.type)).toEqual(['PaymentRecorded', 'PaymentAttributed']);
    expect(events[1]!.data).toMatchObject({ leadId: 'ld_john', commissionExcluded });
  });
});

describe('late attribution (customer linked after its payments)', () => {
  const unattributed = fold(given([john]).whenPaymentArrives(facts()).events);

  it('attributes an unattributed payment, keeping the earlier trace and the refunds so far', () => {
    const refunded = evolvePayment(unattributed, decideReversal(unattributed, refund(2000))[0]!);
    const events = decideLateAttribution(refunded, { leadId: 'ld_john', partnerId: 'pa_1' }, 'manual', 'customer cus_NEW linked to lead ld_john (manual)');
    expect(events).toEqual([
      {
        type: 'PaymentAttributed',
        data: attributedData({
          leadId: 'ld_john',
          partnerId: 'pa_1',
          method: 'manual',
          refundedAmount: 2000,
          trace: ['no lead with customer cus_NEW', 'no lead with email billing@techstartup.com', 'customer cus_NEW linked to lead ld_john (manual)'],
        }),
      },
    ]);
  });

  it('never moves an attributed payment', () => {
    const attributed = fold(given([john]).whenPaymentArrives(facts({ email: 'john@techstartup.com' })).events);
    expect(decideLateAttribution(attributed, { leadId: 'ld_other', partnerId: 'pa_2' }, 'manual', 'x')).toEqual([]);
  });
});

describe('attribution order with promotion codes (SPEC §10)', () => {
  const promo = (o: Partial<NonNullable<AttributionInput['promotion']>> = {}) => ({
    code: 'promo_J',
    partnerId: 'pa_promo',
    leadId: 'ld_promo',
    created: false,
    ...o,
  });
  const emailLead = { leadId: 'ld_email', partnerId: 'pa_email', customerId: null };

  it('a promotion code comes after the customer id', () => {
    const d = decideAttribution(
      { customerId: 'cus_1', email: 'a@b.co', promotionCodes: ['promo_J'] },
      { customerHolder: { leadId: 'ld_c', partnerId: 'pa_c', linkMethod: 'manual' }, emailLead, promotion: promo() },
    );
    expect(d).toMatchObject({ status: 'attributed', leadId: 'ld_c', method: 'customer_id' });
  });

  it('a promotion code comes before the email, and links the customer to its partner’s lead', () => {
    const d = decideAttribution(
      { customerId: 'cus_1', email: 'a@b.co', promotionCodes: ['promo_J'] },
      { customerHolder: null, emailLead, promotion: promo({ created: true }) },
    );
    expect(d).toEqual({
      status: 'attributed',
      leadId: 'ld_promo',
      partnerId: 'pa_promo',
      method: 'promotion_code',
      saveCustomerOnLead: false,
      linkCustomer: true,
      trace: ['no lead with customer cus_1', "promotion code promo_J is partner pa_promo's: new lead ld_promo", 'customer cus_1 linked to lead ld_promo'],
    });
  });

  it('an unknown promotion code is in the trace, and the email decides', () => {
    const d = decideAttribution(
      { customerId: 'cus_1', email: 'a@b.co', promotionCodes: ['promo_X', 'SPRING'] },
      { customerHolder: null, emailLead, promotion: null },
    );
    expect(d).toMatchObject({
      method: 'email',
      leadId: 'ld_email',
      trace: [
        'no lead with customer cus_1',
        'no partner has promotion code promo_X, SPRING',
        'lead ld_email has email a@b.co',
        'customer cus_1 saved on lead ld_email',
      ],
    });
  });

  it('a promotion code without an email to create the lead with does not attribute', () => {
    const d = decideAttribution(
      { customerId: null, email: null, promotionCodes: ['promo_J'] },
      { customerHolder: null, emailLead: null, promotion: promo({ leadId: null }) },
    );
    expect(d).toEqual({
      status: 'unattributed',
      trace: [
        'payment has no customer id',
        "promotion code promo_J is partner pa_promo's, but the payment has no email to create its lead with",
        'payment has no email',
      ],
    });
  });

  it('a guest payment: the trace goes customer id → checkout (client_reference_id) → promotion code → email → unattributed', () => {
    const d = decideAttribution(
      { customerId: null, email: 'a@b.co', paymentIntentId: 'pi_G', promotionCodes: ['promo_X'] },
      { customerHolder: null, emailLead: null, promotion: null },
    );
    expect(d).toEqual({
      status: 'unattributed',
      trace: [
        'payment has no customer id',
        'no checkout session named a lead for payment intent pi_G',
        'no partner has promotion code promo_X',
        'no lead with email a@b.co',
      ],
    });
  });

  it('a guest checkout named by its promotion code comes before the payment’s own promotion codes and the email', () => {
    const checkoutHolder = { leadId: 'ld_s', partnerId: 'pa_s', sessionId: 'cs_1', method: 'promotion_code' as const };
    const d = decideAttribution(
      { customerId: null, email: 'a@b.co', paymentIntentId: 'pi_G', promotionCodes: ['promo_J'] },
      { customerHolder: null, emailLead, checkoutHolder, promotion: promo() },
    );
    expect(d).toEqual({
      status: 'attributed',
      leadId: 'ld_s',
      partnerId: 'pa_s',
      method: 'promotion_code',
      saveCustomerOnLead: false,
      trace: ['payment has no customer id', 'checkout session cs_1 named lead ld_s (promotion code) for payment intent pi_G'],
    });
  });

  it('a customer linked by a promotion code or a checkout keeps that method on later payments', () => {
    for (const linkMethod of ['promotion_code', 'client_reference_id'] as const) {
      expect(
        decideAttribution({ customerId: 'cus_1', email: null }, { customerHolder: { leadId: 'ld_c', partnerId: 'pa_c', linkMethod }, emailLead: null }),
      ).toMatchObject({ method: linkMethod });
    }
  });
});
