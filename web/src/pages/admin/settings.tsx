import { useEffect, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  companySettingsGet,
  companySettingsUpdate,
  connectStripe,
  paymentMethodGet,
  reconcile,
  rotateAdminKey,
  setupIntentCreate,
  signIn,
  type CompanyResponse,
  type NotificationsDto,
} from '@partnerflow/client';
import { unwrap } from '../../api/client';
import { ProblemError } from '../../api/problem';
import { Card, DetailList, PageHeader } from '../../components/layout';
import { Button } from '../../components/button';
import { CheckboxField, errorFor, SelectField, TextAreaField, TextField } from '../../components/fields';
import { ConfirmAction } from '../../components/confirm';
import { SESSION_KEY } from '../../session/session';
import { Empty, FormError, QueryView } from '../../components/states';
import { Notice } from '../../components/notice';
import { CopyButton } from '../../components/copy-button';
import { StatusBadge } from '../../components/badge';
import { draftOf, planOf, PlanFields, type PlanDraft } from '../../components/plan-form';
import { decimalOf, currencyExponent, parseMoney } from '../../lib/money';
import { loadStripe, type StripeCardElement, type StripeJs } from '../../lib/stripe-js';

export function SettingsPage() {
  const company = useQuery({ queryKey: ['company'], queryFn: () => unwrap(companySettingsGet()) });
  return (
    <div className="page">
      <PageHeader
        title="Settings"
        description="Your company, its invoice schedule and commission plan, Stripe, the card that pays partners, referral tracking, e-mails and your admin key."
      />
      <QueryView query={company} label="Loading the settings">
        {(c) => (
          <>
            <div className="grid-2">
              <CompanyForm company={c} />
              <ScheduleForm company={c} />
            </div>
            <PlanForm company={c} />
            <ReviewForm company={c} />
            <StripeConnection company={c} />
            <PaymentCard />
            <TrackingForm company={c} />
            <div className="grid-2">
              <NotificationsForm company={c} />
              <WriteBackForm company={c} />
            </div>
            <AdminKey />
          </>
        )}
      </QueryView>
    </div>
  );
}

function useSaveCompany() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (body: Parameters<typeof companySettingsUpdate>[0]['body']) => unwrap(companySettingsUpdate({ body })),
    onSuccess: (c) => {
      queries.setQueryData(['company'], c);
      void queries.invalidateQueries({ queryKey: ['overview'] });
    },
  });
}

function CompanyForm({ company }: { company: CompanyResponse }) {
  const save = useSaveCompany();
  const [name, setName] = useState(company.name);
  const [currency, setCurrency] = useState(company.currency);
  return (
    <Card title="Company" id="company">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ name: name.trim(), currency: currency.trim().toLowerCase() });
        }}
      >
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errorFor(save.error, 'name')} />
        <TextField
          label="Display currency"
          value={currency}
          maxLength={3}
          onChange={(e) => setCurrency(e.target.value)}
          error={errorFor(save.error, 'currency')}
          hint="Totals across currencies are shown in it; payments keep their own."
        />
        <FormError error={save.error} fields={['name', 'currency']} />
        {save.isSuccess && <Notice>Saved.</Notice>}
        <Button type="submit" busy={save.isPending}>
          Save company
        </Button>
      </form>
    </Card>
  );
}

function ScheduleForm({ company }: { company: CompanyResponse }) {
  const save = useSaveCompany();
  const s = company.invoiceSchedule;
  const exponent = currencyExponent(company.currency);
  const [form, setForm] = useState({
    frequency: s.frequency,
    day: String(s.day),
    holdDays: String(s.holdDays),
    minimumPayout: decimalOf(s.minimumPayout, exponent),
    timeZone: s.timeZone ?? 'UTC',
  });
  const [local, setLocal] = useState<string>();
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
  return (
    <Card title="Invoice schedule" id="schedule">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const minimumPayout = parseMoney(form.minimumPayout || '0', company.currency);
          if (minimumPayout === undefined) return setLocal(`Enter an amount with at most ${exponent} decimals`);
          setLocal(undefined);
          const day = form.day === 'last' ? ('last' as const) : Number(form.day);
          save.mutate({
            invoiceSchedule: {
              frequency: form.frequency as 'weekly' | 'monthly',
              day,
              holdDays: Number(form.holdDays),
              minimumPayout,
              timeZone: form.timeZone.trim() || undefined,
            },
          });
        }}
      >
        <div className="form-grid">
          <SelectField
            label="Frequency"
            value={form.frequency}
            onChange={(e) => setForm((f) => ({ ...f, frequency: e.target.value as 'weekly' | 'monthly', day: '1' }))}
            error={errorFor(save.error, 'invoiceSchedule.frequency')}
          >
            <option value="monthly">Monthly</option>
            <option value="weekly">Weekly</option>
          </SelectField>
          {form.frequency === 'weekly' ? (
            <SelectField label="Day" value={form.day} onChange={set('day')} error={errorFor(save.error, 'invoiceSchedule.day')}>
              {weekdays.map((d, i) => (
                <option key={d} value={String(i + 1)}>
                  {d}
                </option>
              ))}
            </SelectField>
          ) : (
            <TextField
              label="Day of the month"
              value={form.day}
              onChange={set('day')}
              error={errorFor(save.error, 'invoiceSchedule.day')}
              hint="1 to 28, or last"
            />
          )}
          <TextField
            label="Time zone"
            value={form.timeZone}
            onChange={set('timeZone')}
            error={errorFor(save.error, 'invoiceSchedule.timeZone')}
            hint="IANA name, e.g. Europe/Berlin: invoice days start at its midnight"
          />
          <TextField
            label="Hold period (days)"
            inputMode="numeric"
            value={form.holdDays}
            onChange={set('holdDays')}
            error={errorFor(save.error, 'invoiceSchedule.holdDays')}
            hint="Refund window before a commission is payable"
          />
          <TextField
            label={`Minimum payout (${company.currency.toUpperCase()})`}
            inputMode="decimal"
            value={form.minimumPayout}
            onChange={set('minimumPayout')}
            error={local ?? errorFor(save.error, 'invoiceSchedule.minimumPayout')}
          />
        </div>
        <FormError error={save.error} fields={['invoiceSchedule']} />
        {save.isSuccess && <Notice>Schedule saved.</Notice>}
        <Button type="submit" busy={save.isPending}>
          Save schedule
        </Button>
      </form>
    </Card>
  );
}

function PlanForm({ company }: { company: CompanyResponse }) {
  const save = useSaveCompany();
  const [draft, setDraft] = useState<PlanDraft>(() => draftOf(company.commissionPlan, company.currency));
  const [local, setLocal] = useState<{ field: string; message: string }>();
  return (
    <Card title="Commission plan" id="plan">
      <p className="muted">Applies to every partner without a plan of their own, for payments from now on.</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const built = planOf(draft);
          if ('field' in built) return setLocal(built);
          setLocal(undefined);
          save.mutate({ commissionPlan: built.plan });
        }}
      >
        <PlanFields draft={draft} onChange={setDraft} error={save.error} prefix="commissionPlan" localError={local} />
        <FormError error={save.error} fields={['commissionPlan']} />
        {save.isSuccess && <Notice>Plan saved.</Notice>}
        <Button type="submit" busy={save.isPending}>
          Save plan
        </Button>
      </form>
    </Card>
  );
}

function StripeConnection({ company }: { company: CompanyResponse }) {
  const queries = useQueryClient();
  const [webhookSecret, setWebhookSecret] = useState('');
  const [apiKey, setApiKey] = useState('');
  const save = useMutation({
    mutationFn: () => unwrap(connectStripe({ body: { webhookSecret: webhookSecret.trim(), apiKey: apiKey.trim() || undefined } })),
    onSuccess: (c) => {
      queries.setQueryData(['company'], c);
      setWebhookSecret('');
      setApiKey('');
    },
  });
  const sync = useMutation({ mutationFn: () => unwrap(reconcile({ body: {} })) });
  const endpoint = `${location.origin}/v1/webhooks/stripe/${company.id}`;
  return (
    <Card
      title="Stripe account"
      id="stripe"
      actions={<StatusBadge status={company.stripe.connected ? 'enabled' : 'disabled'} label={company.stripe.connected ? 'Connected' : 'Not connected'} />}
    >
      <p>In your Stripe dashboard (Developers › Webhooks), add an endpoint with this URL:</p>
      <p className="endpoint">
        <code className="break">{endpoint}</code>
      </p>
      <CopyButton text={endpoint} label="Copy endpoint URL" />
      <p className="muted small">
        Send it <code>invoice.paid</code>, <code>charge.succeeded</code>, <code>charge.refunded</code>, <code>charge.dispute.closed</code> and{' '}
        <code>checkout.session.completed</code>, then paste the endpoint’s signing secret below.
      </p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <div className="form-grid">
          <TextField
            label="Webhook signing secret"
            type="password"
            autoComplete="off"
            placeholder={company.stripe.connected ? 'saved (enter a new one to replace it)' : 'whsec_…'}
            value={webhookSecret}
            onChange={(e) => setWebhookSecret(e.target.value)}
            error={errorFor(save.error, 'webhookSecret')}
          />
          <TextField
            label="Restricted API key (optional)"
            type="password"
            autoComplete="off"
            placeholder={company.stripe.apiKeySet ? 'saved (enter a new one to replace it)' : 'rk_live_…'}
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            error={errorFor(save.error, 'apiKey')}
            hint="Read access to events lets Partnerflow fetch events a webhook missed."
          />
        </div>
        <FormError error={save.error} fields={['webhookSecret', 'apiKey']} />
        {save.isSuccess && <Notice>Stripe connection saved. Secrets are stored encrypted and never shown again.</Notice>}
        <div className="actions">
          <Button type="submit" busy={save.isPending} disabled={!webhookSecret.trim()}>
            Save Stripe connection
          </Button>
          {company.stripe.apiKeySet && (
            <Button variant="secondary" busy={sync.isPending} onClick={() => sync.mutate()}>
              Fetch missed events
            </Button>
          )}
        </div>
        <FormError error={sync.error} />
        {sync.isSuccess && (
          <Notice>
            Looked at {sync.data.scanned} events of the last 30 days: {sync.data.ingested} were missing and are now processed, {sync.data.alreadyKnown} were
            already known.
          </Notice>
        )}
      </form>
    </Card>
  );
}

/** The company's card, saved with Stripe.js (`confirmCardSetup`); Stripe's webhook then tells the app the card is there. */
function PaymentCard() {
  const queries = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [waitingFor, setWaitingFor] = useState<string | null>(null);
  const card = useQuery({
    queryKey: ['payment-method'],
    queryFn: async () => {
      try {
        return await unwrap(paymentMethodGet());
      } catch (e) {
        if (e instanceof ProblemError && e.status === 404) return null;
        throw e;
      }
    },
    refetchInterval: (q) => (waitingFor && q.state.data?.id !== waitingFor ? 1000 : false),
  });
  const confirmed = waitingFor !== null && card.data?.id === waitingFor;
  useEffect(() => {
    if (confirmed) void queries.invalidateQueries({ queryKey: ['readiness'] });
  }, [confirmed, queries]);
  return (
    <Card title="Payment card" id="card" actions={card.data && <span className="muted">{`${card.data.brand} ending ${card.data.last4}`}</span>}>
      <QueryView query={card} label="Loading the card">
        {(c) => (
          <>
            {c ? (
              <DetailList items={[['Card', `${c.brand[0]!.toUpperCase()}${c.brand.slice(1)} ending in ${c.last4}`]]} />
            ) : (
              !adding && <Empty title="No card yet">Pay charges this card when you pay a partner’s invoice through Stripe.</Empty>
            )}
            {waitingFor && !confirmed && <Notice tone="info">Card confirmed. Waiting for Stripe to report it…</Notice>}
            {confirmed && <Notice>The card is saved.</Notice>}
            {adding ? (
              <CardSetup
                onDone={(paymentMethodId) => {
                  setAdding(false);
                  setWaitingFor(paymentMethodId);
                }}
                onCancel={() => setAdding(false)}
              />
            ) : (
              <Button variant={c ? 'secondary' : 'primary'} onClick={() => setAdding(true)}>
                {c ? 'Replace card' : 'Add card'}
              </Button>
            )}
          </>
        )}
      </QueryView>
    </Card>
  );
}

function CardSetup({ onDone, onCancel }: { onDone: (paymentMethodId: string) => void; onCancel: () => void }) {
  const mount = useRef<HTMLDivElement>(null);
  const [stripe, setStripe] = useState<{ js: StripeJs; card: StripeCardElement } | null>(null);
  const [loadError, setLoadError] = useState<string>();
  const [cardError, setCardError] = useState<string>();
  useEffect(() => {
    let card: StripeCardElement | undefined;
    let live = true;
    loadStripe()
      .then((js) => {
        if (!live || !mount.current) return;
        card = js.elements().create('card', { hidePostalCode: true });
        card.mount(mount.current);
        card.on('change', (e) => setCardError(e.error?.message));
        setStripe({ js, card });
      })
      .catch((e: Error) => setLoadError(e.message));
    return () => {
      live = false;
      card?.destroy();
    };
  }, []);
  const save = useMutation({
    mutationFn: async () => {
      if (!stripe) throw new Error('Stripe.js is still loading');
      const { clientSecret } = await unwrap(setupIntentCreate());
      const result = await stripe.js.confirmCardSetup(clientSecret, { payment_method: { card: stripe.card } });
      if (result.error) throw new Error(result.error.message ?? 'The card was not accepted');
      return result.setupIntent!.payment_method!;
    },
    onSuccess: onDone,
  });
  return (
    <form
      className="card-setup"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <div className="field">
        <span className="field-label" id="card-label">
          Card
        </span>
        <div ref={mount} className="stripe-card" role="group" aria-labelledby="card-label" />
        {cardError && <p className="field-error">{cardError}</p>}
      </div>
      {loadError && (
        <p className="form-error" role="alert">
          {loadError}
        </p>
      )}
      <FormError error={save.error} />
      <div className="actions">
        <Button type="submit" busy={save.isPending} disabled={!stripe}>
          Save card
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/** One per line (or comma separated), trimmed, without blanks or repeats. */
const lines = (text: string) => [
  ...new Set(
    text
      .split(/[\n,]+/)
      .map((l) => l.trim())
      .filter(Boolean),
  ),
];

/** Referral links and the tracking script (SPEC §10): where visitors land, how long the click is kept, who may call. */
function TrackingForm({ company }: { company: CompanyResponse }) {
  const save = useSaveCompany();
  const t = company.tracking;
  const [form, setForm] = useState({
    landingUrl: t.landingUrl ?? '',
    cookieDays: String(t.cookieDays),
    model: t.model,
    allowedOrigins: t.allowedOrigins.join('\n'),
  });
  const [local, setLocal] = useState<string>();
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const origin = location.origin;
  const snippet = company.publishableKey ? `<script src="${origin}/js/partnerflow.js" data-key="${company.publishableKey}"></script>` : null;
  return (
    <Card title="Referral tracking" id="tracking">
      <p className="muted">
        A partner’s referral link <code>{origin}/r/…</code> counts the click and sends the visitor to your landing page with <code>pf_ref</code>; the script
        below keeps it in a cookie on your site for sign-ups and Stripe Checkout’s <code>client_reference_id</code>.
      </p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!/^\d{1,4}$/.test(form.cookieDays.trim())) return setLocal('Enter a whole number of days');
          setLocal(undefined);
          save.mutate({
            tracking: {
              ...(form.landingUrl.trim() && { landingUrl: form.landingUrl.trim() }),
              cookieDays: Number(form.cookieDays),
              model: form.model,
              allowedOrigins: lines(form.allowedOrigins),
            },
          });
        }}
      >
        <TextField
          label="Landing page URL"
          type="url"
          inputMode="url"
          placeholder="https://www.example.com/"
          value={form.landingUrl}
          onChange={set('landingUrl')}
          error={errorFor(save.error, 'tracking.landingUrl')}
          hint="Where referral links send visitors; a link’s ?to=/path stays on this site."
        />
        <div className="form-grid">
          <TextField
            label="Cookie lifetime (days)"
            inputMode="numeric"
            value={form.cookieDays}
            onChange={set('cookieDays')}
            error={local ?? errorFor(save.error, 'tracking.cookieDays')}
            hint="1 to 730; 60 by default"
          />
          <SelectField
            label="Attribution model"
            value={form.model}
            onChange={(e) => setForm((f) => ({ ...f, model: e.target.value as typeof f.model }))}
            error={errorFor(save.error, 'tracking.model')}
          >
            <option value="last_click">Last click wins</option>
            <option value="first_click">First click wins</option>
          </SelectField>
        </div>
        <TextAreaField
          label="Allowed origins"
          rows={3}
          spellCheck={false}
          placeholder="https://www.example.com"
          value={form.allowedOrigins}
          onChange={set('allowedOrigins')}
          error={errorFor(save.error, 'tracking.allowedOrigins')}
          hint="One per line (scheme://host[:port]): the sites whose pages may call the tracking endpoints."
        />
        <FormError error={save.error} fields={['tracking']} />
        {save.isSuccess && <Notice>Tracking settings saved.</Notice>}
        <Button type="submit" busy={save.isPending}>
          Save tracking settings
        </Button>
      </form>
      <h3>Your site’s snippet</h3>
      {snippet ? (
        <>
          <p className="muted small">
            Put it on every page of your site. The publishable key <code>{company.publishableKey}</code> is not a secret: it only names your company to the
            tracking endpoints.
          </p>
          <pre className="snippet">
            <code>{snippet}</code>
          </pre>
          <CopyButton text={snippet} label="Copy snippet" />
        </>
      ) : (
        <p className="muted">Save the tracking settings once to get your publishable key and the snippet.</p>
      )}
    </Card>
  );
}

type NotificationKind = NotificationsDto['disabled'][number];
const NOTIFICATION_KINDS: Record<NotificationKind, string> = {
  login_link: 'Sign-in links (Send login link), to the partner',
  invoice_approved: 'Invoice approved, to the partner',
  invoice_paid: 'Invoice paid, to the partner',
  invoice_payment_failed: 'Invoice payment failed, to the partner',
  payout_failed: 'Payout failed, to the admins',
  unattributed_digest: 'Daily digest of unattributed payments, to the admins',
  webhook_endpoint_disabled: 'Webhook endpoint disabled, to the admins',
};

function NotificationsForm({ company }: { company: CompanyResponse }) {
  const save = useSaveCompany();
  const [emails, setEmails] = useState(company.notifications.adminEmails.join('\n'));
  const [disabled, setDisabled] = useState(new Set(company.notifications.disabled));
  const toggle = (kind: string, on: boolean) =>
    setDisabled((d) => {
      const next = new Set(d);
      if (on) next.delete(kind);
      else next.add(kind);
      return next;
    });
  return (
    <Card title="E-mail notifications" id="notifications">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ notifications: { adminEmails: lines(emails), disabled: [...disabled] as NotificationKind[] } });
        }}
      >
        <TextAreaField
          label="Admin e-mail addresses"
          rows={3}
          spellCheck={false}
          placeholder="finance@example.com"
          value={emails}
          onChange={(e) => setEmails(e.target.value)}
          error={errorFor(save.error, 'notifications.adminEmails')}
          hint="One per line: who gets the admins’ e-mails below."
        />
        <fieldset className="choices">
          <legend>E-mails sent</legend>
          {Object.entries(NOTIFICATION_KINDS).map(([kind, label]) => (
            <CheckboxField key={kind} label={label} checked={!disabled.has(kind)} onChange={(e) => toggle(kind, e.target.checked)} />
          ))}
        </fieldset>
        <FormError error={save.error} fields={['notifications']} />
        {save.isSuccess && <Notice>Notification settings saved.</Notice>}
        <Button type="submit" busy={save.isPending}>
          Save notifications
        </Button>
      </form>
    </Card>
  );
}

/** SPEC §11: manual or automatic approval of new commissions, and the refund rate above which one is flagged. */
function ReviewForm({ company }: { company: CompanyResponse }) {
  const save = useSaveCompany();
  const [mode, setMode] = useState(company.commissionReview);
  const [percent, setPercent] = useState(String(Math.round(company.fraud.refundRateThreshold * 1000) / 10));
  const threshold = Number(percent);
  const valid = percent.trim() !== '' && Number.isFinite(threshold) && threshold >= 0 && threshold <= 100;
  return (
    <Card title="Commission review" id="review">
      <p className="muted">
        Flagged commissions (self-referral, duplicate customer, high refund rate) always wait for your review on the Commissions page. Under manual review every
        new commission does. Payments whose Stripe invoice, subscription, customer or charge has the metadata <code>partnerflow: "false"</code> earn no
        commission.
      </p>
      <form
        className="form-row"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ commissionReview: mode, fraud: { refundRateThreshold: Math.round(threshold * 10) / 1000 } });
        }}
      >
        <SelectField label="New commissions" value={mode} onChange={(e) => setMode(e.target.value as typeof mode)}>
          <option value="auto">Approved automatically unless flagged</option>
          <option value="manual">Wait for manual review</option>
        </SelectField>
        <TextField
          label="Refund rate threshold (%)"
          type="number"
          min={0}
          max={100}
          step={0.1}
          value={percent}
          onChange={(e) => setPercent(e.target.value)}
          error={valid ? errorFor(save.error, 'fraud.refundRateThreshold') : 'Between 0 and 100'}
        />
        <Button type="submit" busy={save.isPending} disabled={!valid}>
          Save review
        </Button>
      </form>
      <FormError error={save.error} fields={['commissionReview', 'fraud.refundRateThreshold']} />
      {save.isSuccess && <Notice>Review settings saved.</Notice>}
    </Card>
  );
}

function WriteBackForm({ company }: { company: CompanyResponse }) {
  const save = useSaveCompany();
  const [on, setOn] = useState(company.stripeWriteBack);
  return (
    <Card
      title="Stripe write-back"
      id="write-back"
      actions={<StatusBadge status={company.stripeWriteBack ? 'enabled' : 'disabled'} label={company.stripeWriteBack ? 'On' : 'Off'} />}
    >
      <p className="muted">
        When a payment is attributed, Partnerflow writes <code>partnerflow_partner_id</code> and <code>partnerflow_lead_id</code> into the Stripe customer’s
        metadata, so you see the referral in your own Stripe dashboard.
      </p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ stripeWriteBack: on });
        }}
      >
        <CheckboxField
          label="Write referrals into Stripe customers"
          checked={on}
          onChange={(e) => setOn(e.target.checked)}
          hint={
            company.stripe.apiKeySet ? 'The saved API key needs write access to customers.' : 'Needs the Stripe API key (above) with write access to customers.'
          }
        />
        <FormError error={save.error} fields={['stripeWriteBack']} />
        {save.isSuccess && <Notice>Write-back {save.data.stripeWriteBack ? 'is on' : 'is off'}.</Notice>}
        <Button type="submit" busy={save.isPending}>
          Save write-back
        </Button>
      </form>
    </Card>
  );
}

/**
 * A new admin key replaces the current one at once, which also ends this console session (it rests on that key):
 * the console signs in again with the new key right away, and shows the key once.
 */
function AdminKey() {
  const queries = useQueryClient();
  const rotate = useMutation({
    mutationFn: async () => {
      const { adminApiKey } = await unwrap(rotateAdminKey());
      try {
        queries.setQueryData(SESSION_KEY, await unwrap(signIn({ body: { apiKey: adminApiKey } })));
        return { key: adminApiKey, signedIn: true };
      } catch {
        return { key: adminApiKey, signedIn: false };
      }
    },
  });
  return (
    <Card title="Admin API key" id="admin-key">
      <p className="muted">The key your scripts and this console use. Rotate it when it may have leaked, or when someone who had it leaves.</p>
      <ConfirmAction
        label="Rotate admin API key"
        confirmLabel="Rotate the key now"
        warning={
          <p>
            The current admin key stops working at once: every script and every console session that uses it, this one included, is refused from now on. This
            console signs you in again with the new key; update your scripts with it.
          </p>
        }
        onConfirm={() => rotate.mutateAsync()}
      />
      <FormError error={rotate.error} />
      {rotate.data && (
        <Notice tone={rotate.data.signedIn ? 'success' : 'warning'}>
          <p>The new admin API key, shown this once:</p>
          <p className="secret">
            <code className="break">{rotate.data.key}</code> <CopyButton text={rotate.data.key} label="Copy admin API key" />
          </p>
          <p>
            {rotate.data.signedIn
              ? 'You are signed in with it here. The old key no longer works.'
              : 'Copy it now: your session ended with the old key, so sign in again with this one.'}
          </p>
        </Notice>
      )}
    </Card>
  );
}
