import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { bankDetailsSet, funnelPortal, onboardingLinkCreate, portalBalance, type BankDetailsRequest, type PartnerResponse } from '@partnerflow/client';
import { unwrap } from '../../api/client';
import { Card, DetailList, PageHeader } from '../../components/layout';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { Empty, FormError, QueryView } from '../../components/states';
import { errorFor, TextField } from '../../components/fields';
import { Money } from '../../components/money';
import { Notice } from '../../components/notice';
import { StatusBadge } from '../../components/badge';
import { FunnelCard } from '../../components/funnel';
import { useMe } from './portal-routes';

export function PortalHomePage() {
  const me = useMe();
  return (
    <div className="page">
      <PageHeader
        title={me.data ? `Welcome, ${me.data.name}` : 'Overview'}
        description="What you earned, how your referrals convert, your referral link, and how you get paid."
      />
      <QueryView query={me} label="Loading your account">
        {(p) => (
          <>
            <Earnings />
            <FunnelCard
              queryKey={['me']}
              load={(query) => unwrap(funnelPortal({ query }))}
              empty={<>Share your referral link: its clicks, the leads and the customers they become show here.</>}
            />
            <div className="grid-2">
              <ReferralLink partner={p} />
              <Payouts partner={p} />
            </div>
            <BankDetails partner={p} />
          </>
        )}
      </QueryView>
    </div>
  );
}

function Earnings() {
  const balance = useQuery({ queryKey: ['portal-balance'], queryFn: () => unwrap(portalBalance()) });
  return (
    <Card title="Earnings" id="earnings">
      <QueryView
        query={balance}
        label="Loading your earnings"
        isEmpty={(b) => b.balances.length === 0}
        empty={<Empty title="No commissions yet">You earn a commission when a customer you referred pays.</Empty>}
      >
        {(b) => (
          <div className="earnings">
            {b.balances.map((l) => (
              <div key={l.currency} className="earnings-currency">
                <h3>{l.currency.toUpperCase()}</h3>
                <dl className="stats stats-compact">
                  {(
                    [
                      ['pending', 'Pending', 'in the refund window'],
                      ['payable', 'Payable', 'on the next invoice'],
                      ['invoiced', 'Invoiced', 'waiting for payment'],
                      ['paid', 'Paid', 'paid out'],
                    ] as const
                  ).map(([key, label, note]) => (
                    <div className="stat" key={key}>
                      <dt className="stat-label">{label}</dt>
                      <dd className="stat-value">
                        <Money amount={l[key]} currency={l.currency} />
                      </dd>
                      <dd className="stat-note">{note}</dd>
                    </div>
                  ))}
                </dl>
              </div>
            ))}
          </div>
        )}
      </QueryView>
    </Card>
  );
}

function ReferralLink({ partner }: { partner: PartnerResponse }) {
  // SPEC §10: GET /r/{referralKey} records the click and sends the visitor to the company's landing page.
  const link = `${location.origin}/r/${partner.referralKey}`;
  return (
    <Card title="Your referral link" id="referral">
      <p className="referral-link">
        <code className="break">{link}</code>
      </p>
      <CopyButton text={link} label="Copy referral link" variant="primary" />
      <p className="muted small">
        Share it with people you refer. Your referral key <code>{partner.referralKey}</code> also works as the checkout reference.
      </p>
    </Card>
  );
}

function Payouts({ partner }: { partner: PartnerResponse }) {
  const connect = useMutation({
    mutationFn: () => unwrap(onboardingLinkCreate()),
    onSuccess: ({ url }) => window.location.assign(url),
  });
  const account = partner.stripeAccount;
  return (
    <Card
      title="Payouts"
      id="payouts"
      actions={
        account?.payoutsEnabled ? (
          <StatusBadge status="enabled" label="Payouts enabled" />
        ) : (
          <StatusBadge status="disabled" label={account ? 'Onboarding not finished' : 'Not connected'} />
        )
      }
    >
      {account?.payoutsEnabled ? (
        <p>Your Stripe account {account.id} receives your payouts.</p>
      ) : (
        <>
          <p>
            {account
              ? 'Finish your Stripe onboarding to receive payouts.'
              : 'Connect a Stripe account to be paid straight to your bank, or add bank details below.'}
          </p>
          <FormError error={connect.error} />
          <Button busy={connect.isPending || connect.isSuccess} onClick={() => connect.mutate()}>
            Connect Stripe
          </Button>
        </>
      )}
    </Card>
  );
}

function BankDetails({ partner }: { partner: PartnerResponse }) {
  const queries = useQueryClient();
  const empty: BankDetailsRequest = { accountHolder: '', bankName: '', country: '', iban: '', accountNumber: '', routingNumber: '', swift: '' };
  const [form, setForm] = useState(empty);
  const [editing, setEditing] = useState(!partner.bankDetails);
  const save = useMutation({
    mutationFn: () => {
      const body = Object.fromEntries(
        Object.entries(form)
          .map(([k, v]) => [k, v?.trim()])
          .filter(([, v]) => v),
      ) as unknown as BankDetailsRequest;
      return unwrap(bankDetailsSet({ body }));
    },
    onSuccess: (p) => {
      queries.setQueryData(['me'], p);
      setForm(empty);
      setEditing(false);
    },
  });
  const set = (key: keyof BankDetailsRequest) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const fields: [keyof BankDetailsRequest, string, string?][] = [
    ['accountHolder', 'Account holder'],
    ['bankName', 'Bank name'],
    ['country', 'Country', 'Two letters, e.g. DE'],
    ['iban', 'IBAN (optional)'],
    ['accountNumber', 'Account number (optional)'],
    ['routingNumber', 'Routing number (optional)'],
    ['swift', 'SWIFT / BIC (optional)'],
  ];
  const labels: Record<string, string> = Object.fromEntries(fields.map(([k, l]) => [k, l.replace(' (optional)', '')]));
  return (
    <Card
      title="Bank details"
      id="bank-details"
      actions={
        partner.bankDetails &&
        !editing && (
          <Button variant="secondary" onClick={() => setEditing(true)}>
            Change bank details
          </Button>
        )
      }
    >
      <p className="muted">For payment by bank transfer. They are stored encrypted and shown in full only on your invoices.</p>
      {save.isSuccess && <Notice>Bank details saved.</Notice>}
      {partner.bankDetails && !editing ? (
        <DetailList items={Object.entries(partner.bankDetails).map(([k, v]) => [labels[k] ?? k, v])} />
      ) : (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <div className="form-grid">
            {fields.map(([key, label, hint]) => (
              <TextField key={key} label={label} hint={hint} autoComplete="off" value={form[key] ?? ''} onChange={set(key)} error={errorFor(save.error, key)} />
            ))}
          </div>
          <FormError error={save.error} fields={fields.map(([k]) => k)} />
          <div className="actions">
            <Button type="submit" busy={save.isPending}>
              Save bank details
            </Button>
            {partner.bankDetails && (
              <Button variant="ghost" onClick={() => setEditing(false)}>
                Cancel
              </Button>
            )}
          </div>
        </form>
      )}
    </Card>
  );
}
