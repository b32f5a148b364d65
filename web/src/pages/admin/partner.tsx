import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { balance, loginLinkCreate, partnersGet, readinessGet, updatePartner, type PartnerResponse } from '@partnerflow/client';
import { unwrap } from '../../api/client';
import { Card, DetailList, PageHeader } from '../../components/layout';
import { Button } from '../../components/button';
import { Empty, FormError, QueryView } from '../../components/states';
import { Money } from '../../components/money';
import { Notice } from '../../components/notice';
import { CopyButton } from '../../components/copy-button';
import { StatusBadge } from '../../components/badge';
import { SelectField } from '../../components/fields';
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
      <PageHeader title={partner.data?.name ?? 'Partner'} back={{ to: '/admin/partners', label: 'Partners' }} actions={partner.data && <LoginLink partnerId={partner.data.id} />} />
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
                    ['Stripe account', p.stripeAccount ? `${p.stripeAccount.id}${p.stripeAccount.payoutsEnabled ? ', payouts enabled' : ', onboarding'}` : 'not connected'],
                    ['Bank details', p.bankDetails ? Object.values(p.bankDetails).join(' · ') : 'none'],
                    ['Partner since', formatDateTime(p.createdAt)],
                    ['Leads', <Link key="l" to={`/admin/leads?partnerId=${p.id}`}>Leads of this partner</Link>],
                  ]}
                />
              </Card>
              <Balance partnerId={p.id} />
            </div>
            <Readiness partnerId={p.id} />
            <PlanOverride partner={p} />
            {/* SPEC §10: the partner's funnel (clicks → leads → customers) goes here, from GET /v1/partners/{id}/funnel. */}
            <Timeline type="partner" id={p.id} watch={JSON.stringify([p.stripeAccount, p.bankDetails, p.commissionPlan])} />
          </>
        )}
      </QueryView>
    </div>
  );
}

function LoginLink({ partnerId }: { partnerId: string }) {
  const create = useMutation({ mutationFn: () => unwrap(loginLinkCreate({ path: { id: partnerId } })) });
  return (
    <div className="login-link">
      <Button variant="secondary" busy={create.isPending} onClick={() => create.mutate()}>
        Create portal sign-in link
      </Button>
      <FormError error={create.error} />
      {create.isSuccess && (
        <Notice tone="info">
          <p>Send this link to the partner. It signs them in once, until {formatDateTime(create.data.expiresAt)}.</p>
          <p className="secret">
            <code className="break">{create.data.url}</code> <CopyButton text={create.data.url} label="Copy sign-in link" />
          </p>
        </Notice>
      )}
    </div>
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
                <th scope="col" className="num">Pending</th>
                <th scope="col" className="num">Payable</th>
                <th scope="col" className="num">Invoiced</th>
                <th scope="col" className="num">Paid</th>
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
    <Card title="Payout readiness" id="readiness" actions={query.data && <StatusBadge status={query.data.ready ? 'ready' : 'not_ready'} label={query.data.ready ? 'Ready' : 'Not ready'} />}>
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
