import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { CommandBus } from '@nestjs/cqrs';
import { startTestApp, newCompany } from '../../../test/support/app.js';
import type { RunningApp } from '../../bootstrap.js';
import { EsdbSemanticsServer, SimulatedFault } from '../../../libs/event-store/testing/esdb-semantics/esdb-semantics-server.js';
import { evolvePayment, initialPayment, type PaymentFacts } from '../domain/payment.js';
import { paymentStream } from '../domain/payment.events.js';
import { paymentFacts } from '../domain/testing/payment-facts.js';
import { customerStream, evolveCustomer, initialCustomer } from '../domain/customer.js';
import { evolvePaymentRef, initialPaymentRef, paymentRefStream } from '../domain/payment-ref.js';
import { RecordPayment } from './record-payment/record-payment.handler.js';
import { RecordReversal } from './record-reversal/record-reversal.handler.js';
import { LinkLeadCustomer } from './link-customer/link-customer.handler.js';
import { CreateLead } from './create-lead/create-lead.handler.js';

/**
 * Recording a payment writes several streams; on EventStoreDB they are written one by one, and a process can die
 * between two. On the ESDB-semantics store, made to fail at each stream: the command fails, the same command sent
 * again (the redelivered webhook) completes what was left, and nothing is written twice.
 */
describe('recording a payment when the process dies between its streams (ESDB semantics)', () => {
  const server = new EsdbSemanticsServer();
  let app: RunningApp;
  let bus: CommandBus;
  let companyId: string;
  let partnerId: string;

  const facts = (n: string, customerId: string | null, amount = 5000): PaymentFacts => paymentFacts(companyId, n, customerId, null, amount);
  const events = (streamId: string) => app.store.readStream(streamId);
  const refund = (f: PaymentFacts, n: string) =>
    new RecordReversal(
      companyId,
      { kind: 'refund', chargeId: f.chargeId!, amountRefunded: 3000, currency: 'usd', occurredAt: '2026-01-02T00:00:00.000Z', stripeEventId: `evt_r${n}` },
      [f.chargeId!, f.paymentIntentId!],
    );
  const refs = (f: PaymentFacts) => [f.invoiceId!, f.chargeId!, f.paymentIntentId!];

  beforeAll(async () => {
    app = await startTestApp({}, { esdbSemantics: server });
    bus = app.app.get(CommandBus);
    const { admin, company } = await newCompany(app, { name: 'Crashes' });
    companyId = company.id;
    partnerId = (await admin.post('/v1/partners', { name: 'P', email: 'p@crash.test', currency: 'usd' }).expect(201)).body.id;
  });
  afterAll(() => app.close());

  // Each stream the command writes after the payment's own, and the payment's own with its answer lost.
  const crashes: [string, (f: PaymentFacts) => string, 'before' | 'after'][] = [
    ['after the payment, before its references', (f) => paymentRefStream(companyId, f.chargeId!), 'before'],
    ['after the references, before the customer’s list', (f) => customerStream(companyId, f.customerId!), 'before'],
    ['with the payment written but its answer lost', (f) => paymentStream(companyId, f.paymentId), 'after'],
  ];

  it.each(crashes)('dies %s: sent again, the payment is complete, attributed, refunded once, nothing doubled', async (label, at, point) => {
    const n = label.replace(/\W+/g, '').slice(0, 24);
    const { leadId } = (await bus.execute(new CreateLead(companyId, partnerId, `${n}@crash.test`, null, null))) as { leadId: string };
    const f = facts(n, `cus_${n}`);
    await bus.execute(new LinkLeadCustomer(companyId, leadId, f.customerId!, false));
    // A refund that came first, parked on the charge.
    expect(await bus.execute(refund(f, n))).toEqual({ applied: false, parked: true });

    server.failAppend(at(f), point);
    await expect(bus.execute(new RecordPayment(f, refs(f)))).rejects.toBeInstanceOf(SimulatedFault);
    await bus.execute(new RecordPayment(f, refs(f)));
    await bus.execute(new RecordPayment(f, refs(f)));

    const payment = await events(paymentStream(companyId, f.paymentId));
    expect(payment.map((e) => e.type)).toEqual(['PaymentRecorded', 'PaymentAttributed', 'PaymentRefunded']);
    expect(payment.reduce(evolvePayment, initialPayment)).toMatchObject({ refundedTotal: 3000, attribution: { status: 'attributed', leadId } });
    for (const ref of refs(f)) expect((await events(paymentRefStream(companyId, ref))).reduce(evolvePaymentRef, initialPaymentRef).paymentId).toBe(f.paymentId);
    const customer = await events(customerStream(companyId, f.customerId!));
    expect(customer.filter((e) => e.type === 'CustomerPaymentRecorded')).toHaveLength(1);
    expect(customer.reduce(evolveCustomer, initialCustomer).paymentIds).toEqual([f.paymentId]);

    // The same refund delivered again changes nothing.
    await bus.execute(refund(f, n));
    expect((await events(paymentStream(companyId, f.paymentId))).filter((e) => e.type === 'PaymentRefunded')).toHaveLength(1);
  });
});
