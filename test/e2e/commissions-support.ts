import { randomUUID } from 'node:crypto';
import type { RunningApp } from '../../src/bootstrap.js';
import { paymentStream, type PaymentAttributed, type PaymentRecorded, type PaymentRefunded } from '../../src/attribution/domain/payment.events.js';
import { OPERATOR_KEY, api, type Api } from '../support/app.js';

export const DAY = 86_400_000;
export const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();
export const today = () => new Date().toISOString().slice(0, 10);

export interface PaymentInit {
  partnerId: string;
  leadId?: string;
  amount: number;
  tax?: number;
  currency?: string;
  paidAt?: string;
  refundedAmount?: number;
}

/**
 * Records an attributed payment the way the Attribution module does (PaymentRecorded, PaymentAttributed on the
 * payment stream), so commissions can be tested without Stripe webhooks.
 */
export async function attributedPayment(app: RunningApp, companyId: string, p: PaymentInit): Promise<string> {
  const paymentId = `py_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const tax = p.tax ?? 0;
  const currency = p.currency ?? 'usd';
  const paidAt = p.paidAt ?? daysAgo(1);
  const facts = { paymentId, companyId, amount: p.amount, tax, net: p.amount - tax, currency, paidAt };
  const recorded: PaymentRecorded = {
    type: 'PaymentRecorded',
    data: {
      ...facts,
      stripeObjectId: `in_${paymentId}`,
      chargeId: `ch_${paymentId}`,
      paymentIntentId: null,
      invoiceId: `in_${paymentId}`,
      customerId: null,
      email: null,
      stripeEventId: `evt_${paymentId}`,
    },
  };
  const attributed: PaymentAttributed = {
    type: 'PaymentAttributed',
    data: {
      ...facts,
      leadId: p.leadId ?? `ld_${p.partnerId}`,
      partnerId: p.partnerId,
      method: 'manual',
      trace: ['test'],
      customerId: null,
      ...(p.refundedAmount ? { refundedAmount: p.refundedAmount } : {}),
    },
  };
  await app.store.append(paymentStream(companyId, paymentId), [recorded, attributed], 'no_stream');
  return paymentId;
}

export async function refund(
  app: RunningApp,
  companyId: string,
  paymentId: string,
  r: { amount: number; refundedTotal: number; currency?: string; reason?: 'refund' | 'dispute_lost' },
): Promise<void> {
  const event: PaymentRefunded = {
    type: 'PaymentRefunded',
    data: {
      paymentId,
      companyId,
      reversalId: `re_${randomUUID().slice(0, 8)}`,
      reason: r.reason ?? 'refund',
      amount: r.amount,
      refundedTotal: r.refundedTotal,
      currency: r.currency ?? 'usd',
      occurredAt: new Date().toISOString(),
    },
  };
  await app.store.append(paymentStream(companyId, paymentId), [event], 'any');
}

export async function publishRates(app: RunningApp, body: { base: string; asOf: string; rates: Record<string, number>; source?: string }) {
  return api(app, OPERATOR_KEY).put('/v1/fx-rates', body).expect(200);
}

export async function partner(admin: Api, body: object = {}): Promise<{ id: string; partnerApiKey: string }> {
  const res = await admin
    .post('/v1/partners', { name: 'Partner', email: `p${randomUUID().slice(0, 6)}@partner.example`, currency: 'usd', ...body })
    .expect(201);
  return res.body;
}
