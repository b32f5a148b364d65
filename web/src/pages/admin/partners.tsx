import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { partnersCreate, partnersList, type PartnerResponse } from '@partnerflow/client';
import { unwrap } from '../../api/client';
import { Card, PageHeader } from '../../components/layout';
import { DataTable } from '../../components/table';
import { Pager, useCursorPages } from '../../components/pager';
import { Empty, FormError, QueryView } from '../../components/states';
import { Button } from '../../components/button';
import { errorFor, TextField } from '../../components/fields';
import { Notice } from '../../components/notice';
import { CopyButton } from '../../components/copy-button';
import { StatusBadge } from '../../components/badge';
import { describePlan } from '../../components/plan-form';
import { ExportLink } from '../../components/export-link';

export const payoutStatus = (p: PartnerResponse) =>
  p.stripeAccount?.payoutsEnabled ? (
    <StatusBadge status="enabled" label="Stripe payouts on" />
  ) : p.stripeAccount ? (
    <StatusBadge status="disabled" label="Onboarding" />
  ) : p.bankDetails ? (
    <StatusBadge status="approved" label="Bank details" />
  ) : (
    <StatusBadge status="pending" label="No payout method" />
  );

export function PartnersPage() {
  const pages = useCursorPages('');
  const partners = useQuery({ queryKey: ['partners', pages.cursor], queryFn: () => unwrap(partnersList({ query: { cursor: pages.cursor, limit: 25 } })) });
  return (
    <div className="page">
      <PageHeader title="Partners" description="The people and companies who refer customers, and how they are paid." />
      <CreatePartner />
      <Card title="All partners" id="all-partners" actions={<ExportLink file="partners.csv" label="partners" />}>
        <QueryView
          query={partners}
          label="Loading partners"
          isEmpty={(d) => d.data.length === 0}
          empty={<Empty title="No partners yet">Create your first partner above.</Empty>}
        >
          {(page) => (
            <>
              <DataTable<PartnerResponse>
                caption="Partners"
                rows={page.data}
                rowKey={(p) => p.id}
                columns={[
                  { header: 'Name', cell: (p) => <Link to={`/admin/partners/${p.id}`}>{p.name}</Link> },
                  { header: 'Email', cell: (p) => p.email },
                  { header: 'Currency', cell: (p) => p.currency.toUpperCase() },
                  { header: 'Plan', cell: (p) => (p.commissionPlan ? describePlan(p.commissionPlan) : <span className="muted">company plan</span>) },
                  { header: 'Payouts', cell: (p) => (p.active ? payoutStatus(p) : <StatusBadge status="deactivated" label="Deactivated" />) },
                ]}
              />
              <Pager pages={pages} nextCursor={page.nextCursor} label="Partners" />
            </>
          )}
        </QueryView>
      </Card>
    </div>
  );
}

function CreatePartner() {
  const queries = useQueryClient();
  const [form, setForm] = useState({ name: '', email: '', currency: 'usd' });
  const create = useMutation({
    mutationFn: () => unwrap(partnersCreate({ body: { name: form.name.trim(), email: form.email.trim(), currency: form.currency.trim().toLowerCase() } })),
    onSuccess: () => {
      setForm({ name: '', email: '', currency: form.currency });
      void queries.invalidateQueries({ queryKey: ['partners'] });
    },
  });
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Card title="New partner" id="new-partner">
      <form onSubmit={submit} noValidate className="form-row">
        <TextField label="Name" value={form.name} onChange={set('name')} error={errorFor(create.error, 'name')} required />
        <TextField label="Email" type="email" value={form.email} onChange={set('email')} error={errorFor(create.error, 'email')} required />
        <TextField
          label="Currency"
          value={form.currency}
          maxLength={3}
          onChange={set('currency')}
          error={errorFor(create.error, 'currency')}
          hint="Invoiced and paid in it"
          required
        />
        <Button type="submit" busy={create.isPending}>
          Create partner
        </Button>
      </form>
      <FormError error={create.error} fields={['name', 'email', 'currency']} />
      {create.isSuccess && (
        <Notice>
          <p>
            <Link to={`/admin/partners/${create.data.id}`}>{create.data.name}</Link> was created. Their API key is shown this once:
          </p>
          <p className="secret">
            <code>{create.data.partnerApiKey}</code> <CopyButton text={create.data.partnerApiKey} label="Copy API key" />
          </p>
        </Notice>
      )}
    </Card>
  );
}
