import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { CommandBus } from '@nestjs/cqrs';
import { startTestApp, newCompany, type Api } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import type { RunningApp } from '../../src/bootstrap.js';
import { readSql } from '../../libs/database/sql.js';
import type { AppendResult, ExpectedVersion, NewEvent } from '../../libs/event-store/event-store.port.js';
import { EsdbSemanticsServer, SimulatedFault } from '../../libs/event-store/testing/esdb-semantics/esdb-semantics-server.js';
import type { CommissionEarned } from '../../src/commissions/domain/commission.js';
import { ReverseCommission } from '../../src/commissions/commands/reverse-commission/reverse-commission.handler.js';
import { InvoiceRunService } from '../../src/invoicing/commands/generate-invoices/invoice-run.service.js';
import { attributedPayment, daysAgo, partner, today } from './commissions-support.js';

type Invoice = { id: string; number: string; status: string; total: number; partnerId: string; lines: unknown[] };

/**
 * The invoice run on a store without atomic multi-stream appends (EventStoreDB's semantics): the payables append (the
 * numbers, carrying each invoice) is the decision, the invoice streams are derived and completed by any later attempt.
 * A refund between the two streams, a crash between them, and an invoice larger than the store's append limit.
 */
describe('the invoice run on EventStoreDB semantics', () => {
  const server = new EsdbSemanticsServer();
  let app: RunningApp;
  beforeAll(async () => void (app = await startTestApp({}, { esdbSemantics: server })));
  afterAll(() => app.close());
  const refunded = (refund: ReverseCommission) => app.app.get(CommandBus).execute(refund);

  async function company(name: string) {
    const { admin, company } = await newCompany(app, { name });
    await admin
      .patch('/v1/company', {
        commissionPlan: { type: 'percentage', percent: 20 },
        invoiceSchedule: { frequency: 'monthly', day: 1, holdDays: 0, minimumPayout: 0 },
      })
      .expect(200);
    return { admin, companyId: company.id };
  }

  /** A partner with one payable commission of 2000 (20% of 10000), and the refund of half of its payment. */
  async function payableCommission(name: string) {
    const { admin, companyId } = await company(name);
    const p = await partner(admin);
    const paymentId = await attributedPayment(app, companyId, { partnerId: p.id, amount: 10000 });
    await eventually(async () => expect((await admin.get(`/v1/commissions?partnerId=${p.id}`).expect(200)).body.data).toMatchObject([{ amount: 2000 }]));
    const refund = new ReverseCommission({
      companyId,
      paymentId,
      reversalId: `re_${paymentId}`,
      reason: 'refund',
      refundedTotal: 5000,
      occurredAt: new Date().toISOString(),
    });
    return { admin, companyId, partnerId: p.id, refund };
  }

  const invoices = async (admin: Api): Promise<Invoice[]> => (await admin.get('/v1/invoices').expect(200)).body.data;
  const generate = (admin: Api) => admin.post('/v1/invoices/generate', { periodEnd: today() });

  /** Runs `between` once, right after the run's payables append (`after`) or right before it (`before`). */
  function aroundNumbers(companyId: string, when: 'before' | 'after', between: () => Promise<void>): () => void {
    const store = app.store;
    const append = store.append.bind(store);
    let done = false;
    store.append = async (streamId: string, events: NewEvent[], expected: ExpectedVersion): Promise<AppendResult> => {
      if (done || streamId !== `payables-${companyId}` || events[0]?.type !== 'InvoiceNumberAssigned') return append(streamId, events, expected);
      done = true;
      if (when === 'before') await between();
      const result = await append(streamId, events, expected);
      if (when === 'after') await between();
      return result;
    };
    return () => (store.append = append);
  }

  it('a refund between the numbers and the invoice stream voids the invoice: no invoice carries the refunded amount', async () => {
    const { admin, companyId, partnerId, refund } = await payableCommission('Refund mid-run');
    const restore = aroundNumbers(companyId, 'after', () => refunded(refund));
    try {
      await generate(admin).expect(200);
    } finally {
      restore();
    }
    await eventually(async () => {
      const all = await invoices(admin);
      expect(all.map((i) => [i.status, i.total]).sort()).toEqual([
        ['pending_approval', 1000],
        ['void', 2000],
      ]);
    });
    const live = (await invoices(admin)).filter((i) => i.status !== 'void');
    expect(live).toMatchObject([{ partnerId, total: 1000 }]);
    const numbers = (await app.store.readStream(`payables-${companyId}`)).filter((e) => e.type === 'InvoiceNumberAssigned');
    expect(numbers.map((e) => (e.data as { number: string }).number)).toEqual(['INV-000001', 'INV-000002']);
  });

  it('a refund after the run read the guard, before its numbers: the run decides again on the reduced commission', async () => {
    const { admin, companyId, refund } = await payableCommission('Refund before numbers');
    const restore = aroundNumbers(companyId, 'before', () => refunded(refund));
    let created: { total: number }[];
    try {
      created = (await generate(admin).expect(200)).body.created;
    } finally {
      restore();
    }
    expect(created).toMatchObject([{ total: 1000, number: 'INV-000001' }]);
    await eventually(async () => expect((await invoices(admin)).map((i) => [i.status, i.total])).toEqual([['pending_approval', 1000]]));
  });

  it.each([
    ['before writing the first invoice stream', (companyId: string) => server.failAppend((name) => name.startsWith(`invoice-${companyId}-`), 'before')],
    ['after writing the numbers, unacknowledged', (companyId: string) => server.failAppend(`payables-${companyId}`, 'after')],
  ])('dies %s: the invoices are completed from their assignments, once, and the next run invoices nothing again', async (_, fault) => {
    const { admin, companyId } = await company('Crash mid-run');
    const partners = [await partner(admin), await partner(admin)];
    for (const p of partners) await attributedPayment(app, companyId, { partnerId: p.id, amount: 10000 });
    await eventually(async () => expect((await admin.get('/v1/commissions').expect(200)).body.data).toHaveLength(2));
    fault(companyId);
    await expect(app.app.get(InvoiceRunService).generate(companyId, { periodEnd: today() })).rejects.toBeInstanceOf(SimulatedFault);
    await eventually(async () => expect((await invoices(admin)).map((i) => i.number).sort()).toEqual(['INV-000001', 'INV-000002']));
    expect((await generate(admin).expect(200)).body.created).toEqual([]);
    expect((await app.store.readStream(`payables-${companyId}`)).filter((e) => e.type === 'InvoiceNumberAssigned')).toHaveLength(2);
    for (const i of await invoices(admin)) expect(await app.store.readStream(`invoice-${companyId}-${i.id}`)).toHaveLength(1);
  });

  it('an invoice whose lines pass the 1 MiB append limit is cut to what fits; the rest stays payable and the response says so', async () => {
    const { admin, companyId } = await company('Many lines');
    const p = await partner(admin);
    const count = 3_000;
    const earned = (i: number): CommissionEarned => {
      // Lines of 400-character ids pass 1 MiB with 3,000 commissions (ids of Stripe's length would take ~14,000: slow to project here)
      const commissionId = `cm_bulk_${String(i).padStart(6, '0')}_${companyId}_${'x'.repeat(400)}`;
      return {
        type: 'CommissionEarned',
        data: {
          commissionId,
          companyId,
          partnerId: p.id,
          leadId: `ld_${p.id}`,
          paymentId: `py_bulk_${i}`,
          kind: 'payment',
          amount: 100,
          currency: 'usd',
          paidAt: daysAgo(2),
          payableAt: daysAgo(1),
          holdDays: 0,
          plan: null,
          planSource: null,
          basis: null,
          conversion: null,
          reversesCommissionId: null,
          reversalId: null,
          reason: null,
        },
      };
    };
    for (let i = 0; i < count; i += 500)
      await Promise.all(
        Array.from({ length: Math.min(500, count - i) }, (_, j) =>
          app.store.append(`commission-${companyId}-${earned(i + j).data.commissionId}`, [earned(i + j)], 'no_stream'),
        ),
      );
    expect(await app.runner.waitFor((await app.store.head()).checkpoint, 90_000, ['commissions'])).toBe(true);
    const body = (await generate(admin).expect(200)).body as { created: { total: number }[]; skipped: { reason: string; detail: string }[] };
    expect(body.created).toHaveLength(1);
    const lines = body.created[0]!.total / 100;
    expect(lines).toBeGreaterThan(count / 2);
    expect(lines).toBeLessThan(count);
    expect(body.skipped).toMatchObject([{ partnerId: p.id, reason: 'too_many_lines' }]);
    expect(body.skipped[0]!.detail).toContain(`${count - lines} of its ${count} commissions`);
    const [invoice] = await invoices(admin);
    expect(invoice!.lines).toHaveLength(lines);
    const [open] = await readSql(app.orm).query<{ n: number }>('select count(*)::int as n from commissions where company_id = $1 and invoice_id is null', [
      companyId,
    ]);
    expect(open!.n).toBe(count - lines);
  }, 180_000);
});
