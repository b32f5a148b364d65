import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { CommandBus } from '@nestjs/cqrs';
import { startTestApp, newCompany, type Api } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import type { RunningApp } from '../../src/bootstrap.js';
import type { AppendResult, StreamAppend } from '../../libs/event-store/event-store.port.js';
import { EsdbSemanticsServer, SimulatedFault } from '../../libs/event-store/testing/esdb-semantics/esdb-semantics-server.js';
import { commissionIdFor, commissionStream } from '../../src/commissions/domain/commission.js';
import { ReverseCommission } from '../../src/commissions/commands/reverse-commission/reverse-commission.handler.js';
import { attributedPayment, partner, today } from './commissions-support.js';

/**
 * A refund reducing a payable commission writes the payables reservation, then the commission; on EventStoreDB one by
 * one. An invoice run that comes between the two, or a process that dies between them, must not let the run invoice
 * the amount the refund cuts (the partner would be overpaid): the run leaves the commission for a later run, and the
 * refund sent again completes.
 */
describe('a refund against an invoice run between its streams (ESDB semantics)', () => {
  const server = new EsdbSemanticsServer();
  let app: RunningApp;
  let bus: CommandBus;

  beforeAll(async () => {
    app = await startTestApp({}, { esdbSemantics: server });
    bus = app.app.get(CommandBus);
  });
  afterAll(() => app.close());

  async function payableCommission() {
    const { admin, company } = await newCompany(app, { name: 'Refunds' });
    await admin
      .patch('/v1/company', {
        commissionPlan: { type: 'percentage', percent: 20 },
        invoiceSchedule: { frequency: 'monthly', day: 1, holdDays: 0, minimumPayout: 0 },
      })
      .expect(200);
    const p = await partner(admin);
    const paymentId = await attributedPayment(app, company.id, { partnerId: p.id, amount: 10000 });
    await eventually(async () => expect((await admin.get(`/v1/commissions?partnerId=${p.id}`).expect(200)).body.data).toMatchObject([{ amount: 2000 }]));
    const reversal = new ReverseCommission({
      companyId: company.id,
      paymentId,
      reversalId: `re_${paymentId}`,
      reason: 'refund',
      refundedTotal: 5000,
      occurredAt: new Date().toISOString(),
    });
    return { admin, companyId: company.id, partnerId: p.id, paymentId, reversal };
  }
  const generate = async (admin: Api) =>
    (await admin.post('/v1/invoices/generate', { periodEnd: today() }).expect(200)).body as { created: { total: number }[] };
  const reversals = async (companyId: string, paymentId: string) =>
    (await app.store.readStream(commissionStream(companyId, commissionIdFor(paymentId)))).filter((e) => e.type === 'CommissionReversed');

  it('a run between the reservation and the reduction leaves the commission; the next run invoices the reduced amount', async () => {
    const { admin, companyId, paymentId, reversal } = await payableCommission();
    // The store writes a multi-stream append one stream at a time (as EventStoreDB's adapter does); the run comes after the first.
    const appendMany = app.store.appendMany.bind(app.store);
    let between: Promise<{ created: { total: number }[] }> | undefined;
    app.store.appendMany = async (appends: StreamAppend[]): Promise<AppendResult[]> => {
      if (between || !appends.some((a) => a.streamId === commissionStream(companyId, commissionIdFor(paymentId)))) return appendMany(appends);
      const first = await appendMany(appends.slice(0, 1));
      between = generate(admin);
      await between;
      return [...first, ...(await appendMany(appends.slice(1)))];
    };
    try {
      await bus.execute(reversal);
    } finally {
      app.store.appendMany = appendMany;
    }
    expect((await between!).created).toEqual([]);
    expect((await generate(admin)).created).toMatchObject([{ total: 1000 }]);
    expect(await reversals(companyId, paymentId)).toHaveLength(1);
  });

  it('earning: dies after the lead counted the payment, before the commission: the retried event earns it once', async () => {
    const { admin, company } = await newCompany(app, { name: 'Earning' });
    await admin
      .patch('/v1/company', {
        commissionPlan: { type: 'percentage', percent: 20 },
        invoiceSchedule: { frequency: 'monthly', day: 1, holdDays: 0, minimumPayout: 0 },
      })
      .expect(200);
    const p = await partner(admin);
    server.failAppend((name) => name.startsWith(`commission-${company.id}-`), 'before');
    const paymentId = await attributedPayment(app, company.id, { partnerId: p.id, amount: 10000 });
    await eventually(async () => expect((await admin.get(`/v1/commissions?partnerId=${p.id}`).expect(200)).body.data).toMatchObject([{ amount: 2000 }]));
    const earned = await app.store.readStream(commissionStream(company.id, commissionIdFor(paymentId)));
    expect(earned.map((e) => e.type)).toEqual(['CommissionEarned']);
    const lead = await app.store.readStream(`leadcommissions-${company.id}-ld_${p.id}`);
    expect(lead.map((e) => e.type)).toEqual(['LeadPaymentCounted']);
  });

  it('dies after the reservation: the run leaves the commission, the refund sent again reduces it once', async () => {
    const { admin, companyId, paymentId, reversal } = await payableCommission();
    server.failAppend(commissionStream(companyId, commissionIdFor(paymentId)), 'before');
    await expect(bus.execute(reversal)).rejects.toBeInstanceOf(SimulatedFault);
    expect((await generate(admin)).created).toEqual([]);
    await bus.execute(reversal);
    await bus.execute(reversal);
    expect(await reversals(companyId, paymentId)).toHaveLength(1);
    expect((await generate(admin)).created).toMatchObject([{ total: 1000 }]);
  });
});
