import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startTestApp, newCompany, type Api } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import { stripeWebhooks } from '../support/stripe-webhooks.js';
import { builders } from '../stripe-emulator/index.js';
import type { RunningApp } from '../../src/bootstrap.js';

const SECRET = 'whsec_links_e2e';

describe('linking Stripe customers to leads', () => {
  let app: RunningApp;
  let admin: Api;
  let other: Api;
  let send: ReturnType<typeof stripeWebhooks>;
  let partnerId: string;

  const lead = async (email: string, extra: object = {}) => (await admin.post('/v1/leads', { partnerId, email, ...extra }).expect(201)).body as { id: string };
  const unattributedPaymentOf = async (customer: string) => {
    const event = builders.invoicePaid({ customer, email: `${customer.toLowerCase()}@nowhere.test` });
    await send(event).expect(200);
    return eventually(async () => {
      const [p] = (await admin.get(`/v1/payments?customerId=${customer}`).expect(200)).body.data.filter(
        (x: { stripeObjectId: string }) => x.stripeObjectId === event.data.object.id,
      );
      expect(p.attribution.status).toBe('unattributed');
      return p as { id: string };
    });
  };

  beforeAll(async () => {
    app = await startTestApp();
    const { admin: a, company } = await newCompany(app, { name: 'Linker' });
    admin = a;
    ({ admin: other } = await newCompany(app, { name: 'Other' }));
    await admin.put('/v1/company/stripe', { webhookSecret: SECRET }).expect(200);
    send = stripeWebhooks(app, company.id, SECRET);
    partnerId = (await admin.post('/v1/partners', { name: 'P', email: 'p@partner.example', currency: 'usd' }).expect(201)).body.id;
  });
  afterAll(() => app.close());

  describe('PUT /v1/leads/{id}/stripe-customer', () => {
    it('links, is idempotent for the same pair, and 409s when another lead holds the customer', async () => {
      const a = await lead('a@link.test');
      const b = await lead('b@link.test');
      const first = await admin.put(`/v1/leads/${a.id}/stripe-customer`, { customerId: 'cus_LINK1' }).expect(200);
      expect(first.body).toMatchObject({ id: a.id, stripeCustomerId: 'cus_LINK1', attributedPayments: 0 });
      await admin.put(`/v1/leads/${a.id}/stripe-customer`, { customerId: 'cus_LINK1' }).expect(200);
      const taken = await admin.put(`/v1/leads/${b.id}/stripe-customer`, { customerId: 'cus_LINK1' }).expect(409);
      expect(taken.headers['content-type']).toContain('application/problem+json');
      expect(taken.body).toMatchObject({ code: 'customer_already_linked', leadId: a.id, customerId: 'cus_LINK1' });
      expect((await admin.get(`/v1/leads/${b.id}`).expect(200)).body.stripeCustomerId).toBeNull();
    });

    it('rejects bad input and unknown leads', async () => {
      const a = await lead('bad-input@link.test');
      const bad = await admin.put(`/v1/leads/${a.id}/stripe-customer`, { customerId: 'not-a-customer' }).expect(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'customerId' })]);
      await admin.put(`/v1/leads/${a.id}/stripe-customer`, { customerId: 'cus_OK', attributePastPayments: 'yes' }).expect(400);
      await admin.put(`/v1/leads/${a.id}/stripe-customer`, { customerId: 'cus_OK', extra: 1 }).expect(400);
      await admin.put('/v1/leads/ld_missing/stripe-customer', { customerId: 'cus_OK' }).expect(404);
      await other.put(`/v1/leads/${a.id}/stripe-customer`, { customerId: 'cus_OK' }).expect(404);
    });

    it('without attributePastPayments earlier payments stay unattributed (the seed’s rule); later ones match', async () => {
      const p = await unattributedPaymentOf('cus_LATE1');
      const l = await lead('late@link.test');
      const res = await admin.put(`/v1/leads/${l.id}/stripe-customer`, { customerId: 'cus_LATE1' }).expect(200);
      expect(res.body.attributedPayments).toBe(0);
      expect((await admin.get(`/v1/payments/${p.id}`).expect(200)).body.attribution.status).toBe('unattributed');
      const next = builders.invoicePaid({ customer: 'cus_LATE1' });
      await send(next).expect(200);
      await eventually(async () => {
        const data = (await admin.get(`/v1/payments?attribution=attributed&customerId=cus_LATE1`).expect(200)).body.data;
        expect(data).toEqual([
          expect.objectContaining({ stripeObjectId: next.data.object.id, attribution: expect.objectContaining({ method: 'customer_id', leadId: l.id }) }),
        ]);
      });
    });

    it('payments page with a cursor, in arrival order', async () => {
      const mine = [await unattributedPaymentOf('cus_PAGE1'), await unattributedPaymentOf('cus_PAGE1'), await unattributedPaymentOf('cus_PAGE1')];
      const first = (await admin.get('/v1/payments?customerId=cus_PAGE1&limit=2').expect(200)).body;
      expect(first.data).toHaveLength(2);
      const second = (await admin.get(`/v1/payments?customerId=cus_PAGE1&limit=2&cursor=${first.nextCursor}`).expect(200)).body;
      expect(second.nextCursor).toBeNull();
      expect([...first.data, ...second.data].map((p: { id: string }) => p.id)).toEqual(mine.map((p) => p.id));
      await admin.get('/v1/payments?attribution=maybe').expect(400);
      await admin.get('/v1/payments?cursor=not-a-cursor').expect(422);
    });

    it('with attributePastPayments attributes every unattributed payment of the customer, once', async () => {
      const p1 = await unattributedPaymentOf('cus_PAST1');
      const p2 = await unattributedPaymentOf('cus_PAST1');
      const l = await lead('past@link.test');
      const res = await admin.put(`/v1/leads/${l.id}/stripe-customer`, { customerId: 'cus_PAST1', attributePastPayments: true }).expect(200);
      expect(res.body).toMatchObject({ id: l.id, stripeCustomerId: 'cus_PAST1', attributedPayments: 2 });
      for (const p of [p1, p2]) {
        expect((await admin.get(`/v1/payments/${p.id}`).expect(200)).body.attribution).toMatchObject({
          status: 'attributed',
          method: 'manual',
          leadId: l.id,
          partnerId,
        });
      }
      const again = await admin.put(`/v1/leads/${l.id}/stripe-customer`, { customerId: 'cus_PAST1', attributePastPayments: true }).expect(200);
      expect(again.body.attributedPayments).toBe(0);
      expect((await admin.get(`/v1/payments?leadId=${l.id}`).expect(200)).body.data).toHaveLength(2);
    });
  });

  describe('POST /v1/leads/stripe-customers/bulk', () => {
    it('answers one result per row, in order; bad rows never stop the others', async () => {
      const byId = await lead('bulk-id@link.test');
      const byEmail = await lead('Bulk-Email@Link.test');
      const holder = await lead('bulk-holder@link.test', { stripeCustomerId: 'cus_BULKHELD' });
      await lead('twin@link.test');
      await lead('twin@link.test');
      const past = await unattributedPaymentOf('cus_BULK2');
      const res = await admin
        .post('/v1/leads/stripe-customers/bulk', {
          attributePastPayments: true,
          items: [
            { leadId: byId.id, customerId: 'cus_BULK1' },
            { email: 'bulk-email@link.TEST', customerId: 'cus_BULK2' },
            { email: 'nobody@link.test', customerId: 'cus_BULK3' },
            { leadId: byId.id, customerId: 'bad id' },
            { leadId: byId.id, customerId: 'cus_BULKHELD' },
            'not an object',
            { customerId: 'cus_BULK4' },
            { leadId: 'ld_missing', customerId: 'cus_BULK5' },
            { email: 'twin@link.test', customerId: 'cus_BULK6' },
            { leadId: byId.id, customerId: 'cus_BULK1' },
          ],
        })
        .expect(200);
      const results = res.body.results as { index: number; ok: boolean; leadId?: string; customerId: string; error?: string }[];
      expect(results.map((r) => [r.index, r.ok])).toEqual([
        [0, true],
        [1, true],
        [2, false],
        [3, false],
        [4, false],
        [5, false],
        [6, false],
        [7, false],
        [8, false],
        [9, true],
      ]);
      expect(results[0]).toEqual({ index: 0, ok: true, leadId: byId.id, customerId: 'cus_BULK1' });
      expect(results[1]).toEqual({ index: 1, ok: true, leadId: byEmail.id, customerId: 'cus_BULK2' });
      expect(results[2]!.error).toBe('no lead with email nobody@link.test');
      expect(results[3]!.error).toContain('customerId');
      expect(results[4]!.error).toBe(`Stripe customer cus_BULKHELD is already linked to lead ${holder.id}`);
      expect(results[7]!.error).toBe('lead ld_missing not found');
      expect(results[8]!.error).toContain('2 leads have email twin@link.test');
      for (const r of results.filter((x) => !x.ok)) expect(r.error).toEqual(expect.any(String));
      expect((await admin.get(`/v1/leads/${byId.id}`).expect(200)).body.stripeCustomerId).toBe('cus_BULK1');
      expect((await admin.get(`/v1/leads/${byEmail.id}`).expect(200)).body.stripeCustomerId).toBe('cus_BULK2');
      expect((await admin.get(`/v1/payments/${past.id}`).expect(200)).body.attribution).toMatchObject({
        status: 'attributed',
        method: 'manual',
        leadId: byEmail.id,
      });
    });

    it('422 for no rows or more than 1000; 400 when items is not a list', async () => {
      await admin.post('/v1/leads/stripe-customers/bulk', { items: [] }).expect(422);
      const many = Array.from({ length: 1001 }, (_, i) => ({ email: `x${i}@y.test`, customerId: `cus_M${i}` }));
      const res = await admin.post('/v1/leads/stripe-customers/bulk', { items: many }).expect(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'items' })]);
      await admin.post('/v1/leads/stripe-customers/bulk', { items: 'nope' }).expect(400);
      await admin.post('/v1/leads/stripe-customers/bulk', {}).expect(400);
    });
  });
});
