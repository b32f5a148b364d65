import type { HttpClient } from './http-client.js';
import { createLeads, hasRoute, WEBHOOK_SECRET, type BenchCompany } from './app-setup.js';
import { invoicePaidEvent } from './invoice-paid.js';
import { signStripePayload } from './stripe-signature.js';
import { settings } from '../support/settings.js';
import { percentile } from '../support/stats.js';

const LEADS = 50;
const RATE = 20;
const POLL_MS = 20;
const TIMEOUT_MS = 15_000;

type Payment = { stripeObjectId: string; attribution: { status: string } };

/**
 * invoice.paid for customers linked to leads, sent at 20/s; the time from sending each one until
 * `GET /v1/payments?attribution=attributed` lists it (polled every 20 ms), as an admin would see it.
 */
export async function attributionLatency(
  client: HttpClient,
  company: BenchCompany,
  log: (m: string) => void,
): Promise<{ p50: number; p99: number; count: number; timedOut: number } | null> {
  if (!(await hasRoute(client, '/v1/payments'))) return null;
  const { leads } = await createLeads(client, company, LEADS);
  const path = `/v1/webhooks/stripe/${company.companyId}`;
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let sending = true;
  const poller = (async () => {
    while (sending || sentAt.size > 0) {
      for (const p of await attributedPayments(client, company.adminKey)) {
        const t = sentAt.get(p.stripeObjectId);
        if (t === undefined) continue;
        latencies.push(performance.now() - t);
        sentAt.delete(p.stripeObjectId);
      }
      if (!sending && [...sentAt.values()].every((t) => performance.now() - t > TIMEOUT_MS)) break;
      await new Promise((ok) => setTimeout(ok, POLL_MS));
    }
  })();
  const start = performance.now();
  for (let i = 0; i < settings.attributed; i++) {
    const lead = leads[i % leads.length]!;
    const event = invoicePaidEvent({ customer: lead.customerId, email: lead.email, amount: 9900, tax: 0 });
    const wait = start + (i * 1000) / RATE - performance.now();
    if (wait > 0) await new Promise((ok) => setTimeout(ok, wait));
    sentAt.set(event.invoiceId, performance.now());
    const reply = await client.send('POST', path, event.body, { 'stripe-signature': signStripePayload(event.body, WEBHOOK_SECRET) });
    if (reply.status < 200 || reply.status > 299) throw new Error(`webhook answered ${reply.status}: ${reply.body.slice(0, 200)}`);
  }
  sending = false;
  await poller;
  log(`webhook → attributed: ${latencies.length} seen, ${sentAt.size} not within ${TIMEOUT_MS} ms`);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), count: latencies.length, timedOut: sentAt.size };
}

async function attributedPayments(client: HttpClient, key: string): Promise<Payment[]> {
  const all: Payment[] = [];
  let cursor: string | null = null;
  do {
    const page: { data: Payment[]; nextCursor: string | null } = await client.json(
      'GET',
      `/v1/payments?attribution=attributed&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      key,
    );
    all.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}
