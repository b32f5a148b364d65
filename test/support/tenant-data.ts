import { randomBytes } from 'node:crypto';
import { expect } from '@jest/globals';
import type { RunningApp } from '../../src/bootstrap.js';
import { builders } from '../stripe-emulator/index.js';
import { api, newCompany, OPERATOR_KEY, type Api } from './app.js';
import { eventually } from './eventually.js';
import { stripeWebhooks } from './stripe-webhooks.js';
import { fillPath, type Role, type Route } from './openapi.js';

export interface SeededPartner {
  referralKey: string;
  id: string;
  key: string;
  portal: Api;
  email: string;
  leadId: string;
  leadEmail: string;
  paymentId: string;
  commissionId: string;
  invoiceId: string;
}

/** A company with one of everything, made through the public API, for matrix and leak tests. */
export interface Tenant {
  name: string;
  companyId: string;
  adminKey: string;
  admin: Api;
  webhookSecret: string;
  stripeApiKey: string;
  customerId: string;
  /** p1 has bank details and a lead linked by customer id; p2 a lead matched by email. */
  p1: SeededPartner;
  p2: SeededPartner;
  unattributedPaymentId: string;
  send: ReturnType<typeof stripeWebhooks>;
  /** Every id, email and customer id of this tenant: none may show in another tenant's answers. */
  fingerprints: string[];
  bank: { iban: string; accountNumber: string };
  /** An outgoing webhook endpoint on a closed loopback port (the app runs with WEBHOOK_ALLOW_PRIVATE=true), so its deliveries fail and stay. */
  webhookEndpoint: { id: string; secret: string; deliveryId: string };
}

const token = (n = 8) => randomBytes(n).toString('hex');
const today = () => new Date().toISOString().slice(0, 10);

/** A valid German IBAN with a random account number (mod-97 check digits computed). */
export function randomIban(): string {
  const bban = `37040044${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;
  const digits = `${bban}131400`; // "DE00" moved to the end, letters as numbers
  let rest = 0;
  for (const ch of digits) rest = (rest * 10 + Number(ch)) % 97;
  return `DE${String(98 - rest).padStart(2, '0')}${bban}`;
}

export async function seedTenant(app: RunningApp, name: string): Promise<Tenant> {
  const { company, admin } = await newCompany(app, { name });
  await admin.patch('/v1/company', { invoiceSchedule: { frequency: 'monthly', day: 1, holdDays: 0, minimumPayout: 0 } }).expect(200);
  const webhookSecret = `whsec_${name}${token(16)}`;
  const stripeApiKey = `rk_test_${name}${token(16)}`;
  await admin.put('/v1/company/stripe', { webhookSecret, apiKey: stripeApiKey }).expect(200);
  const send = stripeWebhooks(app, company.id, webhookSecret);
  // port 1 on loopback: nothing listens, so deliveries fail at once and no traffic leaves the machine
  const endpoint = (await admin.post('/v1/webhook-endpoints', { url: `http://127.0.0.1:1/${name}`, events: ['partner.created', 'lead.created'] }).expect(201))
    .body as { id: string; secret: string };

  const customerId = `cus_${token(7)}`;
  const bank = { iban: randomIban(), accountNumber: String(100000000 + Math.floor(Math.random() * 8e8)) };
  const partner = async (i: number) => {
    const email = `${name.toLowerCase()}-p${i}-${token(3)}@partner.example`;
    const res = await admin.post('/v1/partners', { name: `${name} partner ${i}`, email, currency: 'usd' }).expect(201);
    return { id: res.body.id as string, key: res.body.partnerApiKey as string, email, referralKey: res.body.referralKey as string };
  };
  const one = await partner(1);
  const two = await partner(2);
  await api(app, one.key)
    .patch('/v1/portal/bank-details', { accountHolder: `${name} Holder`, bankName: 'Testbank', country: 'DE', iban: bank.iban })
    .expect(200);
  await api(app, two.key)
    .patch('/v1/portal/bank-details', {
      accountHolder: `${name} Holder 2`,
      bankName: 'Testbank US',
      country: 'US',
      accountNumber: bank.accountNumber,
      routingNumber: '110000000',
    })
    .expect(200);

  const lead1Email = `${name.toLowerCase()}-buyer1-${token(3)}@customer.example`;
  const lead2Email = `${name.toLowerCase()}-buyer2-${token(3)}@customer.example`;
  const lead1 = await admin.post('/v1/leads', { partnerId: one.id, email: lead1Email, stripeCustomerId: customerId }).expect(201);
  const lead2 = await admin.post('/v1/leads', { partnerId: two.id, email: lead2Email }).expect(201);

  const paid1 = builders.invoicePaid({ customer: customerId, email: lead1Email, amount: 10_000 });
  const paid2 = builders.invoicePaid({ email: lead2Email.toUpperCase(), amount: 20_000 });
  const stray = builders.invoicePaid({ email: `nobody-${token(3)}@stray.example`, amount: 3_000 });
  for (const e of [paid1, paid2, stray]) await send(e).expect(200);

  const payments = await eventually(
    async () => {
      const res = await admin.get('/v1/payments?limit=200').expect(200);
      const list = res.body.data as { id: string; stripeObjectId: string; attribution: { status: string } }[];
      const ids = [paid1, paid2, stray].map((e) => list.find((p) => p.stripeObjectId === e.data.object.id));
      expect(ids.map((p) => p?.attribution.status)).toEqual(['attributed', 'attributed', 'unattributed']);
      return ids.map((p) => p!.id);
    },
    { timeoutMs: 20_000 },
  );
  const commissionOf = (partnerId: string) =>
    eventually(
      async () => {
        const list = (await admin.get(`/v1/commissions?partnerId=${partnerId}`).expect(200)).body.data as { id: string }[];
        expect(list).toHaveLength(1);
        return list[0]!.id;
      },
      { timeoutMs: 20_000 },
    );
  const c1 = await commissionOf(one.id);
  const c2 = await commissionOf(two.id);

  const run = await admin.post('/v1/invoices/generate', { periodEnd: today() }).expect(200);
  const created = run.body.created as { invoiceId: string; partnerId: string }[];
  const invoiceOf = (partnerId: string) => {
    const found = created.find((c) => c.partnerId === partnerId);
    if (!found) throw new Error(`${name}: no invoice generated for ${partnerId}: ${JSON.stringify(run.body)}`);
    return found.invoiceId;
  };

  const seeded = (p: typeof one, leadId: string, leadEmail: string, paymentId: string, commissionId: string): SeededPartner => ({
    ...p,
    portal: api(app, p.key),
    leadId,
    leadEmail,
    paymentId,
    commissionId,
    invoiceId: invoiceOf(p.id),
  });
  const [delivery] = await eventually(
    async () => {
      const list = (await admin.get(`/v1/webhook-endpoints/${endpoint.id}/deliveries`).expect(200)).body.data as { id: string }[];
      expect(list.length).toBeGreaterThanOrEqual(4);
      return list;
    },
    { timeoutMs: 20_000 },
  );
  const webhookEndpoint = { id: endpoint.id, secret: endpoint.secret, deliveryId: delivery!.id };
  const p1 = seeded(one, lead1.body.id, lead1Email, payments[0]!, c1);
  const p2 = seeded(two, lead2.body.id, lead2Email, payments[1]!, c2);
  const fingerprints = [
    company.id,
    customerId,
    payments[2]!,
    endpoint.id,
    delivery!.id,
    ...[p1, p2].flatMap((p) => [p.id, p.email, p.leadId, p.leadEmail, p.paymentId, p.commissionId, p.invoiceId]),
    ...[paid1, paid2, stray].map((e) => e.data.object.id as string),
  ];
  return {
    name,
    companyId: company.id,
    adminKey: company.adminApiKey,
    admin,
    webhookSecret,
    stripeApiKey,
    customerId,
    p1,
    p2,
    unattributedPaymentId: payments[2]!,
    send,
    fingerprints,
    bank,
    webhookEndpoint,
  };
}

/** Audit stream types (SPEC §8) and the tenant's id of each. */
const auditIds = (t: Tenant): Record<string, string> => ({
  payment: t.p1.paymentId,
  lead: t.p1.leadId,
  partner: t.p1.id,
  invoice: t.p1.invoiceId,
  commission: t.p1.commissionId,
  company: t.companyId,
});

/** The resource a `{id}` names: the collection segment before it. */
const byCollection = (t: Tenant): Record<string, string> => ({
  partners: t.p1.id,
  leads: t.p1.leadId,
  payments: t.p1.paymentId,
  commissions: t.p1.commissionId,
  invoices: t.p1.invoiceId,
  companies: t.companyId,
  'webhook-endpoints': t.webhookEndpoint.id,
  'webhook-deliveries': t.webhookEndpoint.deliveryId,
  exports: 'payments.csv',
  // operator routes: no such parked event (a 404), so the matrix and fuzzers retry and skip nothing
  'parked-events': '999999999',
  // referral links: /r/{referralKey}
  r: t.p1.referralKey,
});

/**
 * Concrete paths of a route for this tenant's resources (one per audit stream type for
 * `/v1/audit/streams/{type}/{id}`). Throws for a parameter it cannot fill, so a new route gets a fixture.
 */
export function tenantPaths(route: Route, t: Tenant): string[] {
  if (route.pathParams.length === 0) return [route.path];
  const segments = route.path.split('/');
  if (route.pathParams.includes('type')) {
    return Object.entries(auditIds(t)).map(([type, id]) => fillPath(route, { type, id, companyId: t.companyId }));
  }
  const values: Record<string, string> = { companyId: t.companyId };
  for (const name of route.pathParams) {
    if (name === 'companyId') continue;
    const collection = segments[segments.indexOf(`{${name}}`) - 1] ?? '';
    const id = byCollection(t)[collection];
    if (id) values[name] = id;
  }
  return [fillPath(route, values)];
}

/** The tenant's key for a role (partner: its first partner's); undefined for public routes. */
export const keyOf = (role: Role, t: Tenant): string | undefined => ({ operator: OPERATOR_KEY, admin: t.adminKey, partner: t.p1.key, public: undefined })[role];
