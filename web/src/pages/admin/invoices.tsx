import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { generateInvoices, invoicesList, type InvoiceResponse } from '@partnerflow/client';
import { unwrap } from '../../api/client';
import { Card, PageHeader } from '../../components/layout';
import { DataTable } from '../../components/table';
import { Pager, useCursorPages } from '../../components/pager';
import { Empty, FormError, QueryView } from '../../components/states';
import { Money } from '../../components/money';
import { StatusBadge, statusLabel } from '../../components/badge';
import { Button } from '../../components/button';
import { errorFor, SelectField, TextField } from '../../components/fields';
import { Notice } from '../../components/notice';
import { formatDay } from '../../lib/dates';
import { PartnerLink, usePartners } from './partner-names';
import { ExportLink } from '../../components/export-link';

const STATUSES = ['pending_approval', 'approved', 'processing', 'paid', 'payment_failed', 'void'] as const;
type Status = (typeof STATUSES)[number];

const skipReasons: Record<string, string> = {
  already_invoiced: 'already invoiced for this period',
  below_minimum: 'below the minimum payout',
  not_positive: 'nothing to pay',
  fx_rate_missing: 'no exchange rate for a currency',
  concurrent_change: 'changed while the run was going on; run again',
};

export function InvoicesPage() {
  const [params, setParams] = useSearchParams();
  const status = (STATUSES as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as Status) : undefined;
  const pages = useCursorPages(status ?? '');
  const partners = usePartners();
  const query = useQuery({
    queryKey: ['invoices', status, pages.cursor],
    queryFn: () => unwrap(invoicesList({ query: { status, cursor: pages.cursor, limit: 25 } })),
  });
  return (
    <div className="page">
      <PageHeader
        title="Invoices"
        description="Each partner’s payable commissions for a period, in the partner’s currency. Every invoice is approved before it is paid."
      />
      <Generate />
      <Card title="All invoices" id="all-invoices">
        <div className="toolbar">
          <SelectField
            label="Status"
            className="field-inline"
            value={status ?? ''}
            onChange={(e) => setParams(e.target.value ? { status: e.target.value } : {})}
          >
            <option value="">All statuses</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </SelectField>
          <ExportLink file="invoices.csv" filters={{ status }} label="invoices" />
        </div>
        <QueryView
          query={query}
          label="Loading invoices"
          isEmpty={(d) => d.data.length === 0}
          empty={<Empty title="No invoices here">Invoices are made by the schedule, or now with Generate invoices.</Empty>}
        >
          {(page) => (
            <>
              <DataTable<InvoiceResponse>
                caption="Invoices"
                rows={page.data}
                rowKey={(i) => i.id}
                columns={[
                  { header: 'Number', cell: (i) => <Link to={`/admin/invoices/${i.id}`}>{i.number}</Link> },
                  { header: 'Partner', cell: (i) => <PartnerLink id={i.partnerId} partners={partners.data?.data} /> },
                  { header: 'Period', cell: (i) => `${formatDay(i.periodStart)} – ${formatDay(i.periodEnd)}` },
                  { header: 'Total', align: 'end', cell: (i) => <Money amount={i.total} currency={i.currency} /> },
                  { header: 'Status', cell: (i) => <StatusBadge status={i.status} /> },
                ]}
              />
              <Pager pages={pages} nextCursor={page.nextCursor} label="Invoices" />
            </>
          )}
        </QueryView>
      </Card>
    </div>
  );
}

function Generate() {
  const queries = useQueryClient();
  const partners = usePartners();
  const [periodEnd, setPeriodEnd] = useState('');
  const run = useMutation({
    mutationFn: () => unwrap(generateInvoices({ body: periodEnd ? { periodEnd } : {} })),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: ['invoices'] });
      void queries.invalidateQueries({ queryKey: ['overview'] });
      // partners created since the names were loaded show by name
      void queries.invalidateQueries({ queryKey: ['partners', 'all'] });
    },
  });
  return (
    <Card title="Run the schedule now" id="generate">
      <form
        className="form-row"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate();
        }}
      >
        <TextField
          label="Period end (optional)"
          type="date"
          value={periodEnd}
          onChange={(e) => setPeriodEnd(e.target.value)}
          error={errorFor(run.error, 'periodEnd')}
          hint="Default: the period that ended before today"
        />
        <Button type="submit" busy={run.isPending}>
          Generate invoices
        </Button>
      </form>
      <FormError error={run.error} fields={['periodEnd']} />
      {run.isSuccess && (
        <Notice tone={run.data.created.length ? 'success' : 'info'}>
          <p>
            Period {formatDay(run.data.periodStart)} – {formatDay(run.data.periodEnd)}: {run.data.created.length} invoice
            {run.data.created.length === 1 ? '' : 's'} created
            {run.data.skipped.length ? `, ${run.data.skipped.length} partner${run.data.skipped.length === 1 ? '' : 's'} skipped` : ''}.
          </p>
          {run.data.created.length > 0 && (
            <ul>
              {run.data.created.map((c) => (
                <li key={c.invoiceId}>
                  <Link to={`/admin/invoices/${c.invoiceId}`}>{c.number}</Link> · <PartnerLink id={c.partnerId} partners={partners.data?.data} /> ·{' '}
                  <Money amount={c.total} currency={c.currency} />
                </li>
              ))}
            </ul>
          )}
          {run.data.skipped.length > 0 && (
            <ul>
              {run.data.skipped.map((s) => (
                <li key={s.partnerId}>
                  <PartnerLink id={s.partnerId} partners={partners.data?.data} />: {skipReasons[s.reason] ?? s.reason}
                </li>
              ))}
            </ul>
          )}
        </Notice>
      )}
    </Card>
  );
}
