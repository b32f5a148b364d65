import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { leadsCreate, leadsList, linkCustomerBulk, type BulkLinkItem, type BulkLinkResultResponse, type LeadResponse } from '@partnerflow/client';
import { unwrap } from '../../api/client';
import { Card, PageHeader } from '../../components/layout';
import { DataTable } from '../../components/table';
import { Pager, useCursorPages } from '../../components/pager';
import { Empty, FormError, QueryView } from '../../components/states';
import { Button } from '../../components/button';
import { CheckboxField, errorFor, SelectField, TextAreaField, TextField } from '../../components/fields';
import { Notice } from '../../components/notice';
import { StatusBadge } from '../../components/badge';
import { formatDateTime } from '../../lib/dates';
import { parseBulkCsv, type ParsedRow } from '../../lib/bulk-csv';
import { PartnerLink, usePartners } from './partner-names';
import { ExportLink } from '../../components/export-link';

export function LeadsPage() {
  const [params, setParams] = useSearchParams();
  const partnerId = params.get('partnerId') ?? '';
  const email = params.get('email') ?? '';
  const [emailInput, setEmailInput] = useState(email);
  const pages = useCursorPages(`${partnerId}|${email}`);
  const partners = usePartners();
  const leads = useQuery({
    queryKey: ['leads', partnerId, email, pages.cursor],
    queryFn: () => unwrap(leadsList({ query: { partnerId: partnerId || undefined, email: email || undefined, cursor: pages.cursor, limit: 25 } })),
  });
  const filter = (next: { partnerId?: string; email?: string }) => {
    const merged = { partnerId, email, ...next };
    setParams(Object.fromEntries(Object.entries(merged).filter(([, v]) => v)));
  };
  return (
    <div className="page">
      <PageHeader title="Leads" description="The people partners referred. A lead’s Stripe customer id is how payments find it." />
      <div className="grid-2">
        <CreateLead />
        <BulkLink />
      </div>
      <Card title="All leads" id="all-leads">
        <form
          className="toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            filter({ email: emailInput.trim() });
          }}
        >
          <SelectField label="Partner" className="field-inline" value={partnerId} onChange={(e) => filter({ partnerId: e.target.value })}>
            <option value="">All partners</option>
            {partners.data?.data.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
          <TextField label="Email" className="field-inline" type="email" value={emailInput} onChange={(e) => setEmailInput(e.target.value)} />
          <Button type="submit" variant="secondary">
            Filter
          </Button>
          <ExportLink file="leads.csv" filters={{ partnerId: partnerId || undefined, email: email || undefined }} label="leads" />
        </form>
        <QueryView
          query={leads}
          label="Loading leads"
          isEmpty={(d) => d.data.length === 0}
          empty={<Empty title={email || partnerId ? 'No lead matches' : 'No leads yet'}>Create one above, or let checkout and signups create them.</Empty>}
        >
          {(page) => (
            <>
              <DataTable<LeadResponse>
                caption="Leads"
                rows={page.data}
                rowKey={(l) => l.id}
                columns={[
                  { header: 'Email', cell: (l) => <Link to={`/admin/leads/${l.id}`}>{l.email}</Link> },
                  { header: 'Name', cell: (l) => l.name ?? <span className="muted">—</span> },
                  { header: 'Partner', cell: (l) => <PartnerLink id={l.partnerId} partners={partners.data?.data} /> },
                  {
                    header: 'Stripe customer',
                    cell: (l) => (l.stripeCustomerId ? <code>{l.stripeCustomerId}</code> : <span className="muted">not linked</span>),
                  },
                  { header: 'Created', cell: (l) => formatDateTime(l.createdAt) },
                ]}
              />
              <Pager pages={pages} nextCursor={page.nextCursor} label="Leads" />
            </>
          )}
        </QueryView>
      </Card>
    </div>
  );
}

function CreateLead() {
  const queries = useQueryClient();
  const partners = usePartners();
  const [form, setForm] = useState({ partnerId: '', email: '', name: '', stripeCustomerId: '' });
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        leadsCreate({
          body: {
            partnerId: form.partnerId,
            email: form.email.trim(),
            name: form.name.trim() || undefined,
            stripeCustomerId: form.stripeCustomerId.trim() || undefined,
          },
        }),
      ),
    onSuccess: () => {
      setForm((f) => ({ ...f, email: '', name: '', stripeCustomerId: '' }));
      void queries.invalidateQueries({ queryKey: ['leads'] });
    },
  });
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Card title="New lead" id="new-lead">
      <form onSubmit={submit} noValidate className="form-grid">
        <SelectField label="Partner" value={form.partnerId} onChange={set('partnerId')} error={errorFor(create.error, 'partnerId')} required>
          <option value="">Choose a partner</option>
          {partners.data?.data.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.email})
            </option>
          ))}
        </SelectField>
        <TextField label="Email" type="email" value={form.email} onChange={set('email')} error={errorFor(create.error, 'email')} required />
        <TextField label="Name (optional)" value={form.name} onChange={set('name')} error={errorFor(create.error, 'name')} />
        <TextField
          label="Stripe customer id (optional)"
          placeholder="cus_…"
          value={form.stripeCustomerId}
          onChange={set('stripeCustomerId')}
          error={errorFor(create.error, 'stripeCustomerId')}
        />
        <FormError error={create.error} fields={['partnerId', 'email', 'name', 'stripeCustomerId']} />
        {create.isSuccess && <Notice>Lead {create.data.email} created.</Notice>}
        <Button type="submit" busy={create.isPending}>
          Create lead
        </Button>
      </form>
    </Card>
  );
}

function BulkLink() {
  const queries = useQueryClient();
  const [csv, setCsv] = useState('');
  const [retroactive, setRetroactive] = useState(true);
  const [parsed, setParsed] = useState<ParsedRow[]>([]);
  const bulk = useMutation({
    mutationFn: (items: BulkLinkItem[]) => unwrap(linkCustomerBulk({ body: { items, attributePastPayments: retroactive } })),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: ['leads'] });
      void queries.invalidateQueries({ queryKey: ['payments'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const rows = parseBulkCsv(csv);
    setParsed(rows);
    const items = rows.flatMap((r) => ('item' in r ? [r.item] : []));
    if (items.length) bulk.mutate(items);
    else bulk.reset();
  };
  const sent = parsed.filter((r): r is Extract<ParsedRow, { item: BulkLinkItem }> => 'item' in r);
  const results: { line: number; input: string; result?: BulkLinkResultResponse; error?: string }[] = parsed.map((r) => {
    if ('error' in r) return { line: r.line, input: r.text, error: r.error };
    const index = sent.indexOf(r);
    return { line: r.line, input: `${r.item.email ?? r.item.leadId}, ${r.item.customerId}`, result: bulk.data?.results.find((x) => x.index === index) };
  });
  const okCount = bulk.data?.results.filter((r) => r.ok).length ?? 0;
  return (
    <Card title="Link customers in bulk" id="bulk-link">
      <form onSubmit={submit} noValidate>
        <TextAreaField
          label="Paste CSV: email or lead id, customer id"
          rows={5}
          spellCheck={false}
          placeholder={'jane@customer.example,cus_P1a2b3\nld_8f2c…,cus_Q9z8y7'}
          value={csv}
          onChange={(e) => setCsv(e.target.value)}
          error={errorFor(bulk.error, 'items')}
          hint="One customer per line, up to 1000. A header line is skipped."
        />
        <CheckboxField label="Also attribute their earlier unattributed payments" checked={retroactive} onChange={(e) => setRetroactive(e.target.checked)} />
        <FormError error={bulk.error} fields={['items']} />
        <Button type="submit" busy={bulk.isPending} disabled={!csv.trim()}>
          Link customers
        </Button>
      </form>
      {parsed.length > 0 && (bulk.isSuccess || !sent.length) && (
        <div className="bulk-results">
          <Notice tone={okCount === parsed.length ? 'success' : 'warning'}>
            {okCount} of {parsed.length} row{parsed.length === 1 ? '' : 's'} linked.
          </Notice>
          <DataTable
            caption="Result per row"
            rows={results}
            rowKey={(r) => String(r.line)}
            columns={[
              { header: 'Line', cell: (r) => r.line },
              { header: 'Row', cell: (r) => <code>{r.input}</code> },
              {
                header: 'Result',
                cell: (r) => (r.result?.ok ? <StatusBadge status="paid" label="Linked" /> : <StatusBadge status="payment_failed" label="Not linked" />),
              },
              { header: 'Detail', cell: (r) => (r.result?.ok ? r.result.leadId : (r.error ?? r.result?.error ?? '')) },
            ]}
          />
        </div>
      )}
    </Card>
  );
}
