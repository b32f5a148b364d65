import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import {
  balance,
  funnelPartner,
  loginLinkCreate,
  partnerAccessDeactivate,
  partnerAccessReactivate,
  partnerAccessRotate,
  partnersGet,
  readinessGet,
  updatePartner,
  type LoginLinkResponse,
  type PartnerResponse,
} from '@partnerflow/client';
import { unwrap } from '../../api/client';
import { Card, DetailList, PageHeader } from '../../components/layout';
import { Button } from '../../components/button';
import { Empty, FormError, QueryView } from '../../components/states';
import { Money } from '../../components/money';
import { Notice } from '../../components/notice';
import { CopyButton } from '../../components/copy-button';
import { StatusBadge } from '../../components/badge';
import { errorFor, SelectField, TextAreaField } from '../../components/fields';
import { ConfirmAction } from '../../components/confirm';
import { FunnelCard } from '../../components/funnel';
import { Timeline } from '../../components/timeline';
import { describePlan, draftOf, planOf, PlanFields, type PlanDraft } from '../../components/plan-form';
import { formatDateTime } from '../../lib/dates';
import { payoutStatus } from './partners';

const checkNames: Record<string, string> = {
  payments_attributed: 'Payments attributed',
  lead_linked: 'Leads linked',
  revenue_present: 'Revenue',
  connected_account: 'Stripe account, payouts enabled',
  bank_details: 'Bank details',
  company_card: 'Company card',
  payout_method: 'A way to pay the partner',
  invoice_status: 'Invoices settled',
  schedule_configured: 'Invoice schedule set',
};

export function PartnerPage() {
  const { id = '' } = useParams();
  const partner = useQuery({ queryKey: ['partner', id], queryFn: () => unwrap(partnersGet({ path: { id } })) });
  return (
    <div className="page">
      <PageHeader
        title={partner.data?.name ?? 'Partner'}
        back={{ to: '/admin/partners', label: 'Partners' }}
        actions={partner.data && !partner.data.active && <StatusBadge status="deactivated" label="Deactivated" />}
      />
      <QueryView query={partner} label="Loading the partner">
        {(p) => (
          <>
            <div className="grid-2">
              <Card title="Partner" id="partner-summary" actions={payoutStatus(p)}>
                <DetailList
                  items={[
                    ['Email', p.email],
                    ['Currency', p.currency.toUpperCase()],
                    ['Referral key', <code key="k">{p.referralKey}</code>],
                    [
                      'Stripe account',
                      p.stripeAccount ? `${p.stripeAccount.id}${p.stripeAccount.payoutsEnabled ? ', payouts enabled' : ', onboarding'}` : 'not connected',
                    ],
                    ['Bank details', p.bankDetails ? Object.values(p.bankDetails).join(' · ') : 'none'],
                    ['Partner since', formatDateTime(p.createdAt)],
                    [
                      'Leads',
                      <Link key="l" to={`/admin/leads?partnerId=${p.id}`}>
                        Leads of this partner
                      </Link>,
                    ],
                  ]}
                />
              </Card>
              <Balance partnerId={p.id} />
            </div>
            <FunnelCard
              queryKey={['partner', p.id]}
              load={(query) => unwrap(funnelPartner({ path: { id: p.id }, query }))}
              empty={
                <>
                  Clicks on the partner’s referral link <code>/r/{p.referralKey}</code>, their leads and customers show here.
                </>
              }
            />
            <PortalAccess partner={p} />
            <Readiness partnerId={p.id} />
            <div className="grid-2">
              <PlanOverride partner={p} />
              <PromotionCodes partner={p} />
            </div>
            <Timeline type="partner" id={p.id} watch={JSON.stringify([p.stripeAccount, p.bankDetails, p.commissionPlan, p.promotionCodes, p.active])} />
          </>
        )}
      </QueryView>
    </div>
  );
}

/** How the partner gets into the portal: a one-time sign-in link (e-mailed or not), the API key, and whether they may at all. */
function PortalAccess({ partner }: { partner: PartnerResponse }) {
  const queries = useQueryClient();
  const [link, setLink] = useState<LoginLinkResponse>();
  const issue = useMutation({
    mutationFn: (send: boolean) => unwrap(loginLinkCreate({ path: { id: partner.id }, body: { send } })),
    onSuccess: setLink,
  });
  const rotate = useMutation({ mutationFn: () => unwrap(partnerAccessRotate({ path: { id: partner.id } })) });
  const toggle = useMutation({
    mutationFn: (active: boolean) =>
      unwrap(active ? partnerAccessReactivate({ path: { id: partner.id } }) : partnerAccessDeactivate({ path: { id: partner.id } })),
    onSuccess: (p) => {
      queries.setQueryData(['partner', partner.id], p);
      void queries.invalidateQueries({ queryKey: ['partners'] });
    },
  });
  return (
    <Card
      title="Portal access"
      id="portal-access"
      actions={<StatusBadge status={partner.active ? 'enabled' : 'deactivated'} label={partner.active ? 'Active' : 'Deactivated'} />}
    >
      {!partner.active && <p>This partner is deactivated: no portal access and no new commissions. Their history stays.</p>}
      <div className="actions">
        <Button busy={issue.isPending && issue.variables} disabled={!partner.active || issue.isPending} onClick={() => issue.mutate(true)}>
          Send login link
        </Button>
        <Button
          variant="secondary"
          busy={issue.isPending && !issue.variables}
          disabled={!partner.active || issue.isPending}
          onClick={() => issue.mutate(false)}
        >
          Create link without e-mail
        </Button>
      </div>
      <FormError error={issue.error} />
      {link && (
        <Notice tone="info">
          <p>
            {link.sent ? `The link is on its way to ${partner.email}; you can also pass it on yourself.` : 'Send this link to the partner.'} It signs them in
            once, until {formatDateTime(link.expiresAt)}.
          </p>
          <p className="secret">
            <code className="break">{link.url}</code> <CopyButton text={link.url} label="Copy sign-in link" />
          </p>
        </Notice>
      )}
      <h3>API key</h3>
      <p className="muted small">For the partner’s own scripts and for signing in with a key. A new key replaces the current one at once.</p>
      <ConfirmAction
        label="Rotate API key"
        confirmLabel="Rotate the key now"
        warning={<p>The partner’s current API key, and every portal session opened with it, stop working at once. The new key is shown once.</p>}
        onConfirm={() => rotate.mutateAsync()}
      />
      <FormError error={rotate.error} />
      {rotate.data && (
        <Notice>
          <p>The new API key, shown this once:</p>
          <p className="secret">
            <code className="break">{rotate.data.partnerApiKey}</code> <CopyButton text={rotate.data.partnerApiKey} label="Copy API key" />
          </p>
        </Notice>
      )}
      <h3>{partner.active ? 'Deactivate' : 'Reactivate'}</h3>
      {partner.active ? (
        <ConfirmAction
          label="Deactivate partner"
          confirmLabel="Deactivate"
          warning={<p>{partner.name} loses portal access and earns no new commissions. Commissions, invoices and history stay; you can reactivate later.</p>}
          onConfirm={() => toggle.mutateAsync(false)}
        />
      ) : (
        <Button variant="secondary" busy={toggle.isPending} onClick={() => toggle.mutate(true)}>
          Reactivate partner
        </Button>
      )}
      <FormError error={toggle.error} />
    </Card>
  );
}

/** Stripe promotion codes (ids or the codes customers type) that attribute payments to the partner (SPEC §10). */
function PromotionCodes({ partner }: { partner: PartnerResponse }) {
  const queries = useQueryClient();
  const [text, setText] = useState(partner.promotionCodes.join('\n'));
  useEffect(() => setText(partner.promotionCodes.join('\n')), [partner.promotionCodes]);
  const save = useMutation({
    mutationFn: () => {
      const codes = [
        ...new Set(
          text
            .split(/[\s,]+/)
            .map((c) => c.trim())
            .filter(Boolean),
        ),
      ];
      return unwrap(updatePartner({ path: { id: partner.id }, body: { promotionCodes: codes } }));
    },
    onSuccess: (p) => queries.setQueryData(['partner', partner.id], p),
  });
  return (
    <Card title="Promotion codes" id="promotion-codes">
      <p className="muted">A payment or checkout that used one of these is attributed to {partner.name}, before the email match.</p>
      {partner.promotionCodes.length ? (
        <ul className="chips" aria-label="Current promotion codes">
          {partner.promotionCodes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">None yet.</p>
      )}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <TextAreaField
          label="Promotion codes"
          rows={3}
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
          error={errorFor(save.error, 'promotionCodes')}
          hint="One per line: Stripe promotion code ids (promo_…) or the codes customers type (e.g. JANE20). Each belongs to one partner."
        />
        <FormError error={save.error} fields={['promotionCodes']} />
        {save.isSuccess && <Notice>Promotion codes saved.</Notice>}
        <Button type="submit" busy={save.isPending}>
          Save promotion codes
        </Button>
      </form>
    </Card>
  );
}

function Balance({ partnerId }: { partnerId: string }) {
  const query = useQuery({ queryKey: ['balance', partnerId], queryFn: () => unwrap(balance({ path: { id: partnerId } })) });
  return (
    <Card title="Earnings" id="partner-balance">
      <QueryView query={query} isEmpty={(b) => b.balances.length === 0} empty={<Empty title="No commissions yet" />}>
        {(b) => (
          <table className="table table-compact">
            <caption className="sr-only">Earnings per currency and status</caption>
            <thead>
              <tr>
                <th scope="col">Currency</th>
                <th scope="col" className="num">
                  Pending
                </th>
                <th scope="col" className="num">
                  Payable
                </th>
                <th scope="col" className="num">
                  Invoiced
                </th>
                <th scope="col" className="num">
                  Paid
                </th>
              </tr>
            </thead>
            <tbody>
              {b.balances.map((l) => (
                <tr key={l.currency}>
                  <td data-label="Currency">{l.currency.toUpperCase()}</td>
                  {(['pending', 'payable', 'invoiced', 'paid'] as const).map((k) => (
                    <td key={k} data-label={k[0]!.toUpperCase() + k.slice(1)} className="num">
                      <Money amount={l[k]} currency={l.currency} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryView>
    </Card>
  );
}

function Readiness({ partnerId }: { partnerId: string }) {
  const query = useQuery({ queryKey: ['readiness', partnerId], queryFn: () => unwrap(readinessGet({ path: { id: partnerId } })) });
  return (
    <Card
      title="Payout readiness"
      id="readiness"
      actions={query.data && <StatusBadge status={query.data.ready ? 'ready' : 'not_ready'} label={query.data.ready ? 'Ready' : 'Not ready'} />}
    >
      <QueryView query={query} label="Checking">
        {(r) => (
          <ul className="checklist">
            {r.checks.map((c) => (
              <li key={c.id} className={c.ok ? 'check-ok' : c.required ? 'check-fail' : 'check-optional'}>
                <span className="check-mark" aria-hidden="true">
                  {c.ok ? '✓' : c.required ? '!' : '–'}
                </span>
                <div>
                  <p className="check-title">
                    {checkNames[c.id] ?? c.id} {!c.required && <span className="muted small">(one of the ways to pay)</span>}{' '}
                    <span className="sr-only">{c.ok ? 'passes' : c.required ? 'fails' : 'not set up'}</span>
                  </p>
                  <p className="muted small">{c.detail}</p>
                  {c.fix && <p className="check-fix">{c.fix}</p>}
                </div>
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </Card>
  );
}

function PlanOverride({ partner }: { partner: PartnerResponse }) {
  const queries = useQueryClient();
  const [mode, setMode] = useState<'company' | 'own'>(partner.commissionPlan ? 'own' : 'company');
  const [draft, setDraft] = useState<PlanDraft>(() => draftOf(partner.commissionPlan, partner.currency));
  const [local, setLocal] = useState<{ field: string; message: string }>();
  useEffect(() => setDraft(draftOf(partner.commissionPlan, partner.currency)), [partner.commissionPlan, partner.currency]);
  const save = useMutation({
    mutationFn: (commissionPlan: PlanDraft | null) => {
      const built = commissionPlan ? planOf(commissionPlan) : null;
      if (built && 'field' in built) {
        setLocal(built);
        return Promise.reject(new Error(built.message));
      }
      setLocal(undefined);
      return unwrap(updatePartner({ path: { id: partner.id }, body: { commissionPlan: built ? built.plan : null } }));
    },
    onSuccess: (p) => queries.setQueryData(['partner', partner.id], p),
  });
  return (
    <Card title="Commission plan" id="plan-override">
      <p className="muted">Currently: {partner.commissionPlan ? describePlan(partner.commissionPlan) : 'the company’s plan'}.</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(mode === 'own' ? draft : null);
        }}
      >
        <SelectField label="Plan" value={mode} onChange={(e) => setMode(e.target.value as 'company' | 'own')}>
          <option value="company">Use the company’s plan</option>
          <option value="own">Override for this partner</option>
        </SelectField>
        {mode === 'own' && <PlanFields draft={draft} onChange={setDraft} error={save.error} prefix="commissionPlan" localError={local} />}
        {!local && <FormError error={save.error} fields={['commissionPlan']} />}
        {save.isSuccess && <Notice>Plan saved. It applies to commissions earned from now on.</Notice>}
        <Button type="submit" busy={save.isPending}>
          Save plan
        </Button>
      </form>
    </Card>
  );
}
