import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { commissionsPortal, type CommissionResponse } from '@partnerflow/client';
import { unwrap } from '../../api/client';
import { Card, PageHeader } from '../../components/layout';
import { DataTable } from '../../components/table';
import { Pager, useCursorPages } from '../../components/pager';
import { Empty, QueryView } from '../../components/states';
import { Money, MoneyList } from '../../components/money';
import { StatusBadge, statusLabel } from '../../components/badge';
import { SelectField } from '../../components/fields';
import { formatDateTime } from '../../lib/dates';

const STATUSES = ['pending_review', 'pending', 'payable', 'invoiced', 'paid', 'reversed', 'declined'] as const;

export function PortalCommissionsPage() {
  const [status, setStatus] = useState<(typeof STATUSES)[number] | ''>('');
  const pages = useCursorPages(status);
  const query = useQuery({
    queryKey: ['portal-commissions', status, pages.cursor],
    queryFn: () => unwrap(commissionsPortal({ query: { status: status || undefined, cursor: pages.cursor, limit: 25 } })),
  });
  return (
    <div className="page">
      <PageHeader title="Your commissions" description="One per payment of a customer you referred." />
      <Card>
        <div className="toolbar">
          <SelectField label="Status" className="field-inline" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
            <option value="">All statuses</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </SelectField>
        </div>
        <QueryView query={query} label="Loading your commissions" isEmpty={(d) => d.data.length === 0} empty={<Empty title="No commissions here" />}>
          {(page) => (
            <>
              <p className="totals">
                Total: <MoneyList items={page.totals} />
              </p>
              <DataTable<CommissionResponse>
                caption="Your commissions"
                rows={page.data}
                rowKey={(c) => c.id}
                columns={[
                  { header: 'Payment date', cell: (c) => formatDateTime(c.paidAt) },
                  { header: 'Amount', align: 'end', cell: (c) => <Money amount={c.amount} currency={c.currency} /> },
                  { header: 'Status', cell: (c) => <StatusBadge status={c.status} /> },
                  { header: 'Payable from', cell: (c) => formatDateTime(c.payableAt) },
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
