import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { CommandBus } from '@nestjs/cqrs';
import { startTestApp, newCompany } from '../../../test/support/app.js';
import type { RunningApp } from '../../bootstrap.js';
import type { EventStore } from '../../../libs/event-store/event-store.port.js';
import { evolvePayment, initialPayment, type PaymentFacts } from '../domain/payment.js';
import { paymentStream } from '../domain/payment.events.js';
import { paymentFacts } from '../domain/testing/payment-facts.js';
import { evolveLead, initialLead, leadStream } from '../domain/lead.js';
import { customerStream, evolveCustomer, initialCustomer } from '../domain/customer.js';
import { RecordPayment } from './record-payment/record-payment.handler.js';
import { CreateLead } from './create-lead/create-lead.handler.js';

/**
 * Payments of two customers found by the email of one lead, as the attribution reactor may now record
 * them at the same time: the lead must end with the customer whose payment saved it first, as in
 * either sequential order, and never be relinked by the other payment's stale decision.
 */
describe('payments of two customers attributed by one lead email, at once', () => {
  let app: RunningApp;
  let bus: CommandBus;
  let companyId: string;
  let partnerId: string;

  const facts = (n: string, customerId: string, email: string): PaymentFacts => paymentFacts(companyId, n, customerId, email);
  const load = async <S>(stream: string, initial: S, evolve: (s: S, e: never) => S) => (await app.store.readStream(stream)).reduce(evolve as never, initial);

  beforeAll(async () => {
    app = await startTestApp();
    bus = app.app.get(CommandBus);
    const { admin, company } = await newCompany(app, { name: 'Email race' });
    companyId = company.id;
    partnerId = (await admin.post('/v1/partners', { name: 'P', email: 'p@email-race.test', currency: 'usd' }).expect(201)).body.id;
  });
  afterAll(() => app.close());

  it('the second payment re-reads the lead the first one linked, and keeps that link', async () => {
    const email = 'shared@email-race.test';
    const { leadId } = (await bus.execute(new CreateLead(companyId, partnerId, email, null, null))) as { leadId: string };
    const late = facts('late', 'cus_LATE', email);
    const first = facts('first', 'cus_FIRST', email);

    // `late` reads the lead (no customer yet) and is held there until `first` has linked its customer to it.
    const store = app.store as EventStore & { readStream: EventStore['readStream'] };
    const readStream = store.readStream.bind(store);
    let release!: () => void;
    const released = new Promise<void>((ok) => (release = ok));
    let held: (() => void) | undefined;
    const holding = new Promise<void>((ok) => (held = ok));
    store.readStream = async (stream, from) => {
      const events = await readStream(stream, from);
      if (stream === leadStream(companyId, leadId) && held) {
        const h = held;
        held = undefined;
        h();
        await released;
      }
      return events;
    };
    try {
      const lateDone = bus.execute(new RecordPayment(late, [late.invoiceId!]));
      await holding;
      await bus.execute(new RecordPayment(first, [first.invoiceId!]));
      release();
      await lateDone;
    } finally {
      delete (store as Partial<Pick<EventStore, 'readStream'>>).readStream;
    }

    expect(await load(leadStream(companyId, leadId), initialLead, evolveLead)).toMatchObject({ customerId: 'cus_FIRST' });
    expect((await load(customerStream(companyId, 'cus_FIRST'), initialCustomer, evolveCustomer)).claim).toMatchObject({ leadId, method: 'email' });
    expect((await load(customerStream(companyId, 'cus_LATE'), initialCustomer, evolveCustomer)).claim).toBeNull();
    for (const f of [first, late]) {
      expect((await load(paymentStream(companyId, f.paymentId), initialPayment, evolvePayment)).attribution).toMatchObject({
        status: 'attributed',
        leadId,
        method: 'email',
      });
    }
  });
});
