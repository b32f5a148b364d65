import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { newCompany, startTestApp } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import { capturedLogger, startLoggedApp } from '../support/captured-log.js';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';
import { startStripeEmulator, builders, type StripeEmulator } from '../stripe-emulator/index.js';
import { addCard, approvedInvoice, payoutTenant, registerPlatformEndpoints, type Tenant } from './payouts-support.js';
import { readSql } from '../../libs/database/sql.js';
import { LoginLinkMailer } from '../../src/outbound/index.js';
import { UnattributedDigestJob } from '../../src/outbound/jobs/unattributed-digest.job.js';
import type { RunningApp } from '../../src/bootstrap.js';

const FROM = 'Partnerflow <no-reply@partnerflow.test>';

describe('e-mail through SMTP (a real local SMTP server)', () => {
  let smtp: SmtpReceiver;
  let stripe: StripeEmulator;
  let app: RunningApp;
  let t: Tenant;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    stripe = await startStripeEmulator();
    app = await startTestApp({
      SMTP_URL: smtp.url,
      MAIL_FROM: FROM,
      OUTBOUND_RETRY_BASE_MS: '200',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      STRIPE_API_BASE: stripe.url,
      STRIPE_SECRET_KEY: 'sk_test_platform',
    });
    registerPlatformEndpoints(app, stripe);
    t = await payoutTenant(app, stripe, 'Acme <Tools> & Co');
    await t.admin.patch('/v1/company', { notifications: { adminEmails: ['ops@acme.test', 'cfo@acme.test'], disabled: [] } }).expect(200);
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
    await stripe.close();
  });

  it('shows and validates the notifications setting', async () => {
    expect((await t.admin.get('/v1/company').expect(200)).body.notifications).toEqual({ adminEmails: ['ops@acme.test', 'cfo@acme.test'], disabled: [] });
    for (const [notifications, field] of [
      [{ adminEmails: ['not-an-email'], disabled: [] }, 'notifications.adminEmails'],
      [{ adminEmails: [], disabled: ['spam'] }, 'notifications.disabled'],
      [{ adminEmails: [] }, 'notifications.disabled'],
    ] as const) {
      const res = await t.admin.patch('/v1/company', { notifications }).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it('mails the partner when an invoice is approved, fails to pay (admins get the payout failure) and is paid', async () => {
    await addCard(t, 'pm_card_chargeCustomerFail');
    const inv = await approvedInvoice(t, { currency: 'usd' });
    const partner = (await t.admin.get(`/v1/partners/${inv.partnerId}`).expect(200)).body;
    const invoice = (await t.admin.get(`/v1/invoices/${inv.invoiceId}`).expect(200)).body;
    const approved = await eventually(async () => {
      const [m] = smtp.to(partner.email).filter((x) => x.kind === 'invoice_approved');
      expect(m).toBeDefined();
      return m!;
    });
    expect(approved).toMatchObject({
      from: '"Partnerflow" <no-reply@partnerflow.test>',
      subject: `Invoice ${invoice.number} approved`,
      messageId: expect.stringMatching(/^<ml_[0-9a-f]{24}@partnerflow>$/),
    });
    expect(approved.text).toContain(`Acme <Tools> & Co approved your invoice ${invoice.number} for 20.00 USD`);
    expect(approved.html).toContain('Acme &lt;Tools&gt; &amp; Co approved');
    expect(approved.html).not.toContain('<Tools>');

    await t.admin.post(`/v1/invoices/${inv.invoiceId}/pay`).expect(200);
    const failed = await eventually(async () => {
      const [m] = smtp.to(partner.email).filter((x) => x.kind === 'invoice_payment_failed');
      expect(m).toBeDefined();
      return m!;
    });
    expect(failed.text).toMatch(/failed: .*card was declined/);
    const payout = await eventually(async () => {
      const admins = smtp.received.filter((x) => x.kind === 'payout_failed');
      expect(admins.flatMap((m) => m.to).sort()).toEqual(['cfo@acme.test', 'ops@acme.test']);
      return admins[0]!;
    });
    expect(payout.subject).toBe(`Payout failed: invoice ${invoice.number} of ${partner.name}`);

    await addCard(t, 'pm_card_visa');
    await t.admin.post(`/v1/invoices/${inv.invoiceId}/pay`).expect(200);
    const paid = await eventually(async () => {
      const [m] = smtp.to(partner.email).filter((x) => x.kind === 'invoice_paid');
      expect(m).toBeDefined();
      return m!;
    });
    expect(paid.text).toContain(`paid your invoice ${invoice.number}: 20.00 USD`);
    // each mail once: the outbox is keyed by event and recipient
    expect(
      smtp
        .to(partner.email)
        .map((m) => m.kind)
        .sort(),
    ).toEqual(['invoice_approved', 'invoice_paid', 'invoice_payment_failed']);
  });

  it('retries a mail the SMTP server refuses for now; the action that caused it did not wait', async () => {
    smtp.refuse(2);
    const inv = await approvedInvoice(t, { currency: 'usd' });
    const partner = (await t.admin.get(`/v1/partners/${inv.partnerId}`).expect(200)).body;
    const started = Date.now();
    await t.admin.post(`/v1/invoices/${inv.invoiceId}/mark-paid`, { reference: 'wire 42' }).expect(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    await eventually(
      async () =>
        expect(
          smtp
            .to(partner.email)
            .map((m) => m.kind)
            .sort(),
        ).toEqual(['invoice_approved', 'invoice_paid']),
      { timeoutMs: 30_000 },
    );
    const rows = await readSql(app.orm).query<{ attempts: number; status: string; last_error: string | null }>(
      `select attempts, status, last_error from mail_outbox where recipient = $1 order by created_at`,
      [partner.email],
    );
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(rows.reduce((n, r) => n + r.attempts, 0)).toBe(4);
  });

  it('switched-off kinds are not mailed', async () => {
    await t.admin.patch('/v1/company', { notifications: { adminEmails: ['ops@acme.test'], disabled: ['invoice_approved', 'invoice_paid'] } }).expect(200);
    try {
      const inv = await approvedInvoice(t, { currency: 'usd' });
      const partner = (await t.admin.get(`/v1/partners/${inv.partnerId}`).expect(200)).body;
      await t.admin.post(`/v1/invoices/${inv.invoiceId}/mark-paid`, { reference: 'wire 43' }).expect(200);
      await new Promise((ok) => setTimeout(ok, 1_000));
      expect(smtp.to(partner.email)).toEqual([]);
    } finally {
      await t.admin.patch('/v1/company', { notifications: { adminEmails: ['ops@acme.test', 'cfo@acme.test'], disabled: [] } }).expect(200);
    }
  });

  it('sends the admins a daily digest of the day’s new unattributed payments', async () => {
    const event = builders.invoicePaid({ customer: 'cus_digest1', email: 'stranger@nowhere.test', amount: 4_200, currency: 'eur' });
    await t.send(event).expect(200);
    const payment = await eventually(async () => {
      const [p] = (await t.admin.get('/v1/payments?attribution=unattributed&customerId=cus_digest1').expect(200)).body.data;
      expect(p).toBeDefined();
      return p;
    });
    const job = app.app.get(UnattributedDigestJob);
    await eventually(async () => expect(Number((await readSql(app.orm).query('select count(*) as n from mail_digest_items'))[0]!.n)).toBe(1));
    expect(await job.runDue(new Date())).toBe(0);
    expect(await job.runDue(new Date(Date.now() + 86_400_000))).toBe(2);
    expect(await job.runDue(new Date(Date.now() + 86_400_000))).toBe(0);
    const digests = await eventually(async () => {
      const d = smtp.received.filter((m) => m.kind === 'unattributed_digest');
      expect(d.flatMap((m) => m.to).sort()).toEqual(['cfo@acme.test', 'ops@acme.test']);
      return d;
    });
    expect(digests[0]!.subject).toBe(`1 new unattributed payment on ${new Date().toISOString().slice(0, 10)}`);
    expect(digests[0]!.text).toContain(`${payment.id} | 42.00 EUR | stranger@nowhere.test`);
  });

  it('tells the admins when a webhook endpoint is disabled', async () => {
    const dead = await startWebhookReceiver(() => 500);
    try {
      const ep = (await t.admin.post('/v1/webhook-endpoints', { url: dead.url, events: ['lead.created'] }).expect(201)).body;
      const partner = (await t.admin.post('/v1/partners', { name: 'Hooky', email: 'hooky@partner.example', currency: 'usd' }).expect(201)).body;
      await t.admin.post('/v1/leads', { partnerId: partner.id, email: 'x@dead.test' }).expect(201);
      await eventually(async () => expect(dead.received.length).toBeGreaterThanOrEqual(1));
      await readSql(app.orm).query(
        `update webhook_deliveries set created_at = created_at - interval '3 days', next_attempt_at = now() where endpoint_id = $1`,
        [ep.id],
      );
      const [notice] = await eventually(async () => {
        const n = smtp.received.filter((m) => m.kind === 'webhook_endpoint_disabled');
        expect(n).toHaveLength(2);
        return n;
      });
      expect(notice!.subject).toBe(`Webhook endpoint disabled: ${dead.url}/`);
      expect(notice!.text).toContain('last answer 500');
    } finally {
      await dead.close();
    }
  });

  it('mails a login link (the function POST /v1/partners/{id}/login-link {send: true} calls), stored encrypted until sent', async () => {
    const partner = (await t.admin.post('/v1/partners', { name: 'Lou "Link"', email: 'lou@partner.example', currency: 'usd' }).expect(201)).body;
    const url = 'https://partners.acme.test/portal/login?token=tok_secret_123&x=<y>';
    const mailer = app.app.get(LoginLinkMailer);
    const link = { companyId: t.companyId, partnerId: partner.id, partnerName: partner.name, email: partner.email, url, expiresAt: '2026-12-04T10:00:00.000Z' };
    const { mailId } = await mailer.send(link);
    expect((await mailer.send(link)).mailId).toBe(mailId);
    const [stored] = await readSql(app.orm).query<{ message_encrypted: string }>('select message_encrypted from mail_outbox where id = $1', [mailId]);
    expect(stored!.message_encrypted).not.toContain('tok_secret_123');
    const mail = await eventually(async () => {
      const [m] = smtp.to('lou@partner.example');
      expect(m).toBeDefined();
      return m!;
    });
    expect(mail.kind).toBe('login_link');
    expect(mail.text).toContain(`Sign in: ${url}`);
    expect(mail.html).toContain('href="https://partners.acme.test/portal/login?token=tok_secret_123&amp;x=&lt;y&gt;"');
    expect(mail.html).toContain('Hello Lou &quot;Link&quot;,');
    expect(smtp.to('lou@partner.example')).toHaveLength(1);
  });

  it('POST /v1/partners/{id}/login-link {send: true} mails the link it answers; without send nothing is mailed', async () => {
    const partner = (await t.admin.post('/v1/partners', { name: 'Mo Mail', email: 'mo@partner.example', currency: 'usd' }).expect(201)).body;
    const quiet = (await t.admin.post(`/v1/partners/${partner.id}/login-link`).expect(201)).body;
    expect(quiet.sent).toBe(false);
    const sent = (await t.admin.post(`/v1/partners/${partner.id}/login-link`, { send: true }).expect(201)).body;
    expect(sent).toMatchObject({ sent: true, url: expect.stringContaining('/portal/login?token=') });
    const mail = await eventually(async () => {
      const [m] = smtp.to('mo@partner.example');
      expect(m).toBeDefined();
      return m!;
    });
    expect(mail.kind).toBe('login_link');
    expect(mail.text).toContain(`Sign in: ${sent.url}`);
    expect(mail.text).not.toContain(quiet.url);
    await t.admin.post(`/v1/partners/${partner.id}/login-link`, { send: 'yes' }).expect(400);
  });
});

describe('without SMTP_URL', () => {
  it('sends nothing, records nothing, says so once at start-up, and a login link by mail is a 409', async () => {
    const captured = capturedLogger('info');
    const app = await startLoggedApp(captured.log);
    try {
      expect(captured.entries('no SMTP_URL: no e-mail is sent (login links, invoice and payout notices, digests)')).toHaveLength(1);
      const mailer = app.app.get(LoginLinkMailer);
      await expect(
        mailer.send({ companyId: 'co_x', partnerId: 'pa_x', partnerName: 'P', email: 'p@x.test', url: 'https://x.test/', expiresAt: '2026-12-04T00:00:00Z' }),
      ).rejects.toMatchObject({
        status: 409,
        code: 'mail_not_configured',
      });
      expect(await readSql(app.orm).query('select * from mail_outbox')).toEqual([]);
      const { admin } = await newCompany(app);
      const partner = (await admin.post('/v1/partners', { name: 'P', email: 'p@x.test', currency: 'usd' }).expect(201)).body;
      expect((await admin.post(`/v1/partners/${partner.id}/login-link`, { send: true }).expect(409)).body.code).toBe('mail_not_configured');
      // The partner's own refusals come first, and a refused link is not recorded on the partner's stream.
      expect((await admin.post('/v1/partners/pa_nobody/login-link', { send: true }).expect(404)).body.resource).toBe('partner');
      await admin.post(`/v1/partners/${partner.id}/deactivate`).expect(200);
      expect((await admin.post(`/v1/partners/${partner.id}/login-link`, { send: true }).expect(409)).body.code).toBe('partner_deactivated');
      const history = (await admin.get(`/v1/audit/streams/partner/${partner.id}`).expect(200)).body.data as { type: string }[];
      expect(history.map((e) => e.type)).toEqual(['PartnerCreated', 'PartnerDeactivated']);
    } finally {
      await app.close();
    }
  });
});
