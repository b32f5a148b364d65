import { describe, it, expect } from '@jest/globals';
import { fraudFlags, reviewOf, type FraudFacts } from './fraud.js';
import { WEBMAIL_DOMAINS } from './webmail-domains.js';

const facts = (o: Partial<FraudFacts> = {}): FraudFacts => ({
  partner: { partnerId: 'pa_1', email: 'joe@acme.example' },
  leadEmail: 'buyer@customer.example',
  paymentEmail: 'buyer@customer.example',
  otherPartnersLeads: [],
  window: { from: '2025-01-01T00:00:00.000Z', payments: 1, revenue: [{ currency: 'usd', amount: 10000, refunded: 0 }] },
  refundRateThreshold: 0.3,
  ...o,
});

describe('fraud flags (SPEC §11)', () => {
  it('flags nothing for an unrelated customer of one partner with no refunds', () => {
    expect(fraudFlags(facts())).toEqual([]);
  });

  describe('self_referral', () => {
    it('the lead’s email is the partner’s own (any case)', () => {
      expect(fraudFlags(facts({ leadEmail: 'JOE@acme.example' }))).toEqual([
        { code: 'self_referral', detail: "the lead email joe@acme.example is the partner's own email" },
      ]);
    });

    it('the paying customer’s email shares the partner’s non-webmail domain', () => {
      const [flag] = fraudFlags(facts({ paymentEmail: 'finance@Acme.example' }));
      expect(flag).toEqual({
        code: 'self_referral',
        detail: "the paying customer email finance@acme.example shares the partner's domain acme.example (partner joe@acme.example)",
      });
    });

    it('a shared webmail domain is not a self-referral, the same webmail address is', () => {
      const partner = { partnerId: 'pa_1', email: 'joe@gmail.com' };
      expect(fraudFlags(facts({ partner, leadEmail: 'someone.else@gmail.com', paymentEmail: null }))).toEqual([]);
      expect(fraudFlags(facts({ partner, leadEmail: 'joe@gmail.com' })).map((f) => f.code)).toEqual(['self_referral']);
    });

    it('the webmail list is data and holds the usual providers', () => {
      expect(WEBMAIL_DOMAINS).toEqual(expect.arrayContaining(['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'proton.me']));
      expect(WEBMAIL_DOMAINS.every((d) => d === d.toLowerCase() && !d.includes('@'))).toBe(true);
    });
  });

  it('duplicate_customer: the email is also a lead of another partner, named in the detail', () => {
    const others = [
      { leadId: 'ld_9', partnerId: 'pa_2', email: 'buyer@customer.example' },
      { leadId: 'ld_own', partnerId: 'pa_1', email: 'buyer@customer.example' },
    ];
    expect(fraudFlags(facts({ otherPartnersLeads: others }))).toEqual([
      { code: 'duplicate_customer', detail: 'buyer@customer.example is also lead ld_9 of partner pa_2' },
    ]);
  });

  describe('high_refund_rate', () => {
    const window = (payments: number, amount: number, refunded: number) => ({
      from: '2025-01-01T00:00:00.000Z',
      payments,
      revenue: [{ currency: 'usd', amount, refunded }],
    });

    it('above the threshold with ≥ 5 payments in the window (the new one included)', () => {
      const [flag] = fraudFlags(facts({ window: window(5, 10000, 3001) }));
      expect(flag!.code).toBe('high_refund_rate');
      expect(flag!.detail).toContain('30% of usd revenue (3001 of 10000 minor units)');
      expect(flag!.detail).toContain('threshold is 30%');
    });

    it('not at the threshold, not with 4 payments, and the company’s threshold decides', () => {
      expect(fraudFlags(facts({ window: window(5, 10000, 3000) }))).toEqual([]);
      expect(fraudFlags(facts({ window: window(4, 10000, 9000) }))).toEqual([]);
      expect(fraudFlags(facts({ window: window(6, 10000, 1500), refundRateThreshold: 0.1 })).map((f) => f.code)).toEqual(['high_refund_rate']);
    });

    it('each currency is weighed on its own (no sum across currencies)', () => {
      const revenue = [
        { currency: 'usd', amount: 100000, refunded: 0 },
        { currency: 'eur', amount: 1000, refunded: 500 },
      ];
      const [flag] = fraudFlags(facts({ window: { from: '2025-01-01T00:00:00.000Z', payments: 6, revenue } }));
      expect(flag!.detail).toContain('50% of eur revenue');
    });
  });

  it('lists every flag that applies, in SPEC order', () => {
    const flags = fraudFlags(
      facts({
        leadEmail: 'joe@acme.example',
        otherPartnersLeads: [{ leadId: 'ld_2', partnerId: 'pa_2', email: 'joe@acme.example' }],
        window: { from: 'x', payments: 9, revenue: [{ currency: 'usd', amount: 10, refunded: 9 }] },
      }),
    );
    expect(flags.map((f) => f.code)).toEqual(['self_referral', 'duplicate_customer', 'high_refund_rate']);
  });

  it('review: manual holds everything, auto only what is flagged', () => {
    const flag = { code: 'self_referral' as const, detail: 'x' };
    expect(reviewOf('auto', [])).toEqual({ required: false, mode: 'auto', flags: [] });
    expect(reviewOf('auto', [flag])).toEqual({ required: true, mode: 'auto', flags: [flag] });
    expect(reviewOf('manual', [])).toEqual({ required: true, mode: 'manual', flags: [] });
  });
});
