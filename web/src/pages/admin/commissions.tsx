import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { commissionsList, type CommissionResponse } from '@partnerflow/client';
import { unwrap } from '../../api/client';
import { Card, PageHeader } from '../../components/layout';
import { DataTable } from '../../components/table';
import { Pager, useCursorPages } from '../../components/pager';
import { Empty, QueryView } from '../../components/states';
import { Money, MoneyList } from '../../components/money';
import { StatusBadge, statusLabel } from '../../components/badge';
import { SelectField } from '../../components/fields';
import { formatDateTime } from '../../lib/dates';
import { PartnerLink, usePartners } from './partner-names';
import { ExportLink } from '../../components/export-link';
import { ReviewActions } from './commission-review';

const STATUSES = ['pending_review', 'pending', 'payable', 'invoiced', 'paid', 'reversed', 'declined'] as const;
type Status = (typeof STATUSES)[number];

export function CommissionsPage() {
  const [params, setParams] = useSearchParams();
  const status = (STATUSES as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as Status) : undefined;
  const partnerId = params.get('partnerId') ?? '';
  const pages = useCursorPages(`${status}|${partnerId}`);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const partners = usePartners();
  const query = useQuery({
    queryKey: ['commissions', status, partnerId, pages.cursor],
    queryFn: () => unwrap(commissionsList({ query: { status, partnerId: partnerId || undefined, cursor: pages.cursor, limit: 25 } })),
  });
  const filter = (next: { status?: string; partnerId?: string }) => {
    const merged = { status: status ?? '', partnerId, ...next };
    setParams(Object.fromEntries(Object.entries(merged).filter(([, v]) => v)));
  };
  return (
    <div className="page">
      <PageHeader
        title="Commissions"
        description="What partners earned on attributed payments. Pending ones become payable after the hold period; ones in review (manual review, or fraud flags) wait for your approval."
      />
      <Card>
        <div className="toolbar">
          <SelectField label="Status" className="field-inline" value={status ?? ''} onChange={(e) => filter({ status: e.target.value })}>
            <option value="">All statuses</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </SelectField>
          <SelectField label="Partner" className="field-inline" value={partnerId} onChange={(e) => filter({ partnerId: e.target.value })}>
            <option value="">All partners</option>
            {partners.data?.data.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
          <ExportLink file="commissions.csv" filters={{ status, partnerId: partnerId || undefined }} label="commissions" />
        </div>
        <QueryView
          query={query}
          label="Loading commissions"
          isEmpty={(d) => d.data.length === 0}
          empty={<Empty title="No commissions match">Commissions are earned when payments are attributed to a partner’s lead.</Empty>}
        >
          {(page) => (
            <>
              <p className="totals">
                Total: <MoneyList items={page.totals} />
              </p>
              <ReviewActions selected={[...selected]} onDone={() => setSelected(new Set())} />
              <DataTable<CommissionResponse>
                caption="Commissions"
                rows={page.data}
                rowKey={(c) => c.id}
                columns={[
                  {
                    header: 'Select',
                    cell: (c) => (
                      <input
                        type="checkbox"
                        aria-label={`Select commission ${c.id}`}
                        checked={selected.has(c.id)}
                        disabled={c.kind !== 'payment'}
                        onChange={(e) => toggle(c.id, e.target.checked)}
                      />
                    ),
                  },
                  { header: 'Partner', cell: (c) => <PartnerLink id={c.partnerId} partners={partners.data?.data} /> },
                  { header: 'Payment', cell: (c) => <Link to={`/admin/payments/${c.paymentId}`}>{formatDateTime(c.paidAt)}</Link> },
                  { header: 'Amount', align: 'end', cell: (c) => <Money amount={c.amount} currency={c.currency} /> },
                  {
                    header: 'Status',
                    cell: (c) => (
                      <>
                        <StatusBadge status={c.status} />
                        {c.declineReason && <div className="muted small">Declined: {c.declineReason}</div>}
                      </>
                    ),
                  },
                  {
                    header: 'Flags',
                    cell: (c) =>
                      c.flags.length ? (
                        <ul className="flags">
                          {c.flags.map((f) => (
                            <li key={f.code}>
                              <StatusBadge status="flagged" label={f.code} /> <span className="small">{f.detail}</span>
                            </li>
                          ))}
                        </ul>
                      ) : (
                        <span className="muted">—</span>
                      ),
                  },
                  { header: 'Payable from', cell: (c) => formatDateTime(c.payableAt) },
                  {
                    header: 'Invoice',
                    cell: (c) => (c.invoiceId ? <Link to={`/admin/invoices/${c.invoiceId}`}>View</Link> : <span className="muted">—</span>),
                  },
                ]}
              />
              <Pager pages={pages} nextCursor={page.nextCursor} label="Commissions" />
            </>
          )}
        </QueryView>
      </Card>
    </div>
  );
}
