import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { CommandBus } from '@nestjs/cqrs';
import { startTestApp, newCompany } from '../../../test/support/app.js';
import type { RunningApp } from '../../bootstrap.js';
import { DomainError } from '../../../libs/http/domain-error.js';
import { evolvePayment, initialPayment, type PaymentFacts } from '../domain/payment.js';
import { paymentStream } from '../domain/payment.events.js';
import { paymentFacts } from '../domain/testing/payment-facts.js';
import { RecordPayment } from './record-payment/record-payment.handler.js';
import { RecordReversal } from './record-reversal/record-reversal.handler.js';
import { LinkLeadCustomer } from './link-customer/link-customer.handler.js';
import { CreateLead } from './create-lead/create-lead.handler.js';

/** Commands racing on the real event store: the stream guards must make every interleaving end the same. */
describe('attribution commands under concurrency (Postgres event store)', () => {
  let app: RunningApp;
  let bus: CommandBus;
  let companyId: string;
  let partnerId: string;

  const facts = (n: string, customerId: string | null, amount = 5000): PaymentFacts => paymentFacts(companyId, n, customerId, null, amount);
  const paymentState = async (id: string) => (await app.store.readStream(paymentStream(companyId, id))).reduce(evolvePayment, initialPayment);
  const newLead = async (email: string) => (await bus.execute(new CreateLead(companyId, partnerId, email, null, null))) as { leadId: string };

  beforeAll(async () => {
    app = await startTestApp();
    bus = app.app.get(CommandBus);
    const { admin, company } = await newCompany(app, { name: 'Races' });
    companyId = company.id;
    partnerId = (await admin.post('/v1/partners', { name: 'P', email: 'p@race.test', currency: 'usd' }).expect(201)).body.id;
  });
  afterAll(() => app.close());

  it('a payment recorded while its customer is linked (with past payments) always ends attributed', async () => {
    for (let i = 0; i < 8; i++) {
      const { leadId } = await newLead(`race${i}@race.test`);
      const f = facts(`race${i}`, `cus_RACE${i}`);
      await Promise.all([bus.execute(new RecordPayment(f, ['in_race' + i])), bus.execute(new LinkLeadCustomer(companyId, leadId, `cus_RACE${i}`, true))]);
      const state = await paymentState(f.paymentId);
      expect(state.attribution).toMatchObject({ status: 'attributed', leadId });
    }
  });

  it('two leads claiming one customer at once: exactly one wins, the other gets 409', async () => {
    for (let i = 0; i < 6; i++) {
      const [a, b] = [await newLead(`a${i}@race.test`), await newLead(`b${i}@race.test`)];
      const results = await Promise.allSettled([a, b].map((l) => bus.execute(new LinkLeadCustomer(companyId, l.leadId, `cus_DUEL${i}`, false))));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const [lost] = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      expect(lost!.reason).toBeInstanceOf(DomainError);
      expect((lost!.reason as DomainError).status).toBe(409);
    }
  });

  it('a refund racing its payment is applied exactly once', async () => {
    for (let i = 0; i < 8; i++) {
      const f = facts(`refund${i}`, null, 8000);
      const refund = new RecordReversal(
        companyId,
        { kind: 'refund', chargeId: f.chargeId!, amountRefunded: 3000, currency: 'usd', occurredAt: '2026-01-02T00:00:00.000Z', stripeEventId: `evt_r${i}` },
        [f.chargeId!, f.paymentIntentId!],
      );
      await Promise.all([bus.execute(new RecordPayment(f, [f.invoiceId!, f.chargeId!, f.paymentIntentId!])), bus.execute(refund)]);
      expect((await paymentState(f.paymentId)).refundedTotal).toBe(3000);
      await bus.execute(refund);
      expect((await paymentState(f.paymentId)).refundedTotal).toBe(3000);
    }
  });

  it('the same payment recorded twice at once is one payment', async () => {
    const f = facts('twice', 'cus_TWICE');
    const results = await Promise.all([1, 2, 3].map(() => bus.execute(new RecordPayment(f, ['in_twice']))));
    expect(results.filter((r) => r.recorded)).toHaveLength(1);
    expect((await app.store.readStream(paymentStream(companyId, f.paymentId))).filter((e) => e.type === 'PaymentRecorded')).toHaveLength(1);
  });
});
