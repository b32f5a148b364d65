import { describe, it, expect, beforeAll, afterAll, jest } from '@jest/globals';
import { startTestApp, newCompany, api, type Api } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import type { RunningApp } from '../../src/bootstrap.js';
import { EventSourcing } from '../../src/core/event-sourcing.service.js';
import { InvoiceRunService } from '../../src/invoicing/commands/generate-invoices/invoice-run.service.js';
import { InvoiceRunCron } from '../../src/invoicing/commands/generate-invoices/invoice-run.cron.js';
import { attributedPayment, partner, today } from './commissions-support.js';

type Invoice = { id: string; partnerId: string; number: string; status: string; lines: { commissionId: string }[] };

/** Two app processes on one database (the second is not the leader), as in a two-instance deployment. */
describe('invoice runs on two app processes', () => {
  let one: RunningApp;
  let two: RunningApp;

  beforeAll(async () => {
    one = await startTestApp();
    two = await startTestApp({ DATABASE_URL: one.databaseUrl });
  });
  afterAll(async () => {
    await two.close();
    await one.close();
  });

  async function tenant(partners: number) {
    const { admin, company } = await newCompany(one, { name: 'Twin Co' });
    const weekday = ((new Date().getUTCDay() + 6) % 7) + 1;
    await admin.patch('/v1/company', { invoiceSchedule: { frequency: 'weekly', day: weekday, holdDays: 0, minimumPayout: 0 } }).expect(200);
    const ids: string[] = [];
    for (let i = 0; i < partners; i++) {
      const p = await partner(admin);
      ids.push(p.id);
      await attributedPayment(one, company.id, { partnerId: p.id, amount: 10000 + i, paidAt: new Date(Date.now() - 3 * 86_400_000).toISOString() });
      await attributedPayment(one, company.id, {
        partnerId: p.id,
        amount: 5000,
        leadId: `ld_second_${i}`,
        paidAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      });
    }
    await eventually(async () => expect((await admin.get('/v1/commissions?limit=200').expect(200)).body.data).toHaveLength(partners * 2), {
      timeoutMs: 30_000,
    });
    return { admin, adminKey: company.adminApiKey, companyId: company.id, partnerIds: ids };
  }

  async function expectOnePerPartner(admin: Api, partnerIds: string[]) {
    await one.runner.waitFor((await one.store.head()).checkpoint);
    const invoices: Invoice[] = (await admin.get('/v1/invoices?limit=200').expect(200)).body.data;
    const live = invoices.filter((i) => i.status !== 'void');
    expect(live.map((i) => i.partnerId).sort()).toEqual([...partnerIds].sort());
    const commissionIds = live.flatMap((i) => i.lines.map((l) => l.commissionId));
    expect(new Set(commissionIds).size).toBe(commissionIds.length);
    expect(commissionIds).toHaveLength(partnerIds.length * 2);
    expect(invoices.map((i) => Number(i.number.slice(4))).sort((a, b) => a - b)).toEqual(invoices.map((_, i) => i + 1));
  }

  it('each process running the scheduled job at once still makes one invoice per partner and period', async () => {
    const { admin, partnerIds } = await tenant(6);
    const now = new Date();
    const created = await Promise.all([
      one.app.get(InvoiceRunCron).runDue(now),
      two.app.get(InvoiceRunCron).runDue(now),
      one.app.get(InvoiceRunCron).runDue(now),
      two.app.get(InvoiceRunCron).runDue(now),
    ]);
    expect(created.reduce((a, b) => a + b, 0)).toBe(6);
    await expectOnePerPartner(admin, partnerIds);
  });

  it('without the run lock, two runs deciding from the same read model: the event-store guards keep one invoice per partner', async () => {
    const { admin, companyId, partnerIds } = await tenant(8);
    const services = [one, two].map((app) => app.app.get(InvoiceRunService));
    let arrived = 0;
    const firstReads: number[] = [];
    let release!: () => void;
    const bothRead = new Promise<void>((ok) => (release = ok));
    type Reads = { candidates: (...a: unknown[]) => Promise<unknown[]> };
    // `candidates` is private: seen through a guard that checks it is there.
    const hasCandidates = (o: object): o is Reads => typeof Reflect.get(o, 'candidates') === 'function';
    const spies = services.map((service: object) => {
      if (!hasCandidates(service)) throw new Error('InvoiceRunService has no candidates()');
      const target = service;
      const original = target.candidates.bind(service);
      let first = true;
      return jest.spyOn(target, 'candidates').mockImplementation(async (...args: unknown[]) => {
        const rows = await original(...args);
        if (first) {
          first = false;
          firstReads.push(rows.length);
          if (++arrived === 2) release();
          await bothRead;
        }
        return rows;
      });
    });
    const results = await Promise.all(
      services.map((service, i) => service.generate(companyId, { periodEnd: today(), lock: false, chunkSize: i === 0 ? 3 : 1 })),
    );
    spies.forEach((s) => s.mockRestore());
    expect(firstReads).toEqual([8, 8]);
    expect(results.flatMap((r) => r!.created)).toHaveLength(8);
    const numbers = (await one.store.readStream(`payables-${companyId}`)).map((e) => e.data as { sequence: number; partnerId: string });
    expect(numbers.map((n) => n.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(numbers.map((n) => n.partnerId).sort()).toEqual([...partnerIds].sort());
    await expectOnePerPartner(admin, partnerIds);
  });

  it('10 concurrent generate calls spread over both processes', async () => {
    const { admin, adminKey, partnerIds } = await tenant(4);
    const onTwo = api(two, adminKey);
    const calls = Array.from({ length: 10 }, (_, i) => (i % 2 ? onTwo : admin).post('/v1/invoices/generate', { periodEnd: today() }).expect(200));
    const results = await Promise.all(calls);
    expect(results.flatMap((r) => r.body.created)).toHaveLength(4);
    await expectOnePerPartner(admin, partnerIds);
  });

  it('a crash mid-run leaves whole invoices only; the next run finishes the rest, numbers stay gap-free', async () => {
    const { admin, companyId, partnerIds } = await tenant(5);
    const es = one.app.get(EventSourcing);
    const real = es.appendMany.bind(es);
    let calls = 0;
    const spy = jest.spyOn(es, 'appendMany').mockImplementation(async (appends) => {
      if (++calls === 3) throw new Error('process died');
      return real(appends);
    });
    await expect(one.app.get(InvoiceRunService).generate(companyId, { periodEnd: today(), chunkSize: 1 })).rejects.toThrow('process died');
    spy.mockRestore();
    // head() is the visible head: an open projection transaction on the leader may still hide the second chunk.
    await eventually(async () => expect((await admin.get('/v1/invoices').expect(200)).body.data).toHaveLength(2));
    await new Promise((ok) => setTimeout(ok, 300));
    expect((await admin.get('/v1/invoices').expect(200)).body.data).toHaveLength(2);
    const rerun = await one.app.get(InvoiceRunService).generate(companyId, { periodEnd: today() });
    expect(rerun!.created).toHaveLength(3);
    await expectOnePerPartner(admin, partnerIds);
  });
});
