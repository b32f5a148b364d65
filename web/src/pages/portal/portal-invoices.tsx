import { useQuery } from '@tanstack/react-query';
import { invoicesPortal, type InvoiceResponse } from '@partnerflow/client';
import { unwrap } from '../../api/client';
import { Card, PageHeader } from '../../components/layout';
import { DataTable } from '../../components/table';
import { Pager, useCursorPages } from '../../components/pager';
import { Empty, QueryView } from '../../components/states';
import { Money } from '../../components/money';
import { StatusBadge } from '../../components/badge';
import { formatDay } from '../../lib/dates';

export function PortalInvoicesPage() {
  const pages = useCursorPages('');
  const query = useQuery({
    queryKey: ['portal-invoices', pages.cursor],
    queryFn: () => unwrap(invoicesPortal({ query: { cursor: pages.cursor, limit: 25 } })),
  });
  return (
    <div className="page">
      <PageHeader title="Your invoices" description="Your company invoices your payable commissions on its schedule, then pays them." />
      <Card>
        <QueryView query={query} label="Loading your invoices" isEmpty={(d) => d.data.length === 0} empty={<Empty title="No invoices yet" />}>
          {(page) => (
            <>
              <DataTable<InvoiceResponse>
                caption="Your invoices"
                rows={page.data}
                rowKey={(i) => i.id}
                columns={[
                  { header: 'Number', cell: (i) => i.number },
                  { header: 'Period', cell: (i) => `${formatDay(i.periodStart)} – ${formatDay(i.periodEnd)}` },
                  { header: 'Total', align: 'end', cell: (i) => <Money amount={i.total} currency={i.currency} /> },
                  { header: 'Status', cell: (i) => <StatusBadge status={i.status} /> },
                  {
                    header: 'Document',
                    cell: (i) => (
                      <a href={`/v1/portal/invoices/${encodeURIComponent(i.id)}/document`} target="_blank" rel="noopener">
                        Document {i.number}
                      </a>
                    ),
                  },
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
