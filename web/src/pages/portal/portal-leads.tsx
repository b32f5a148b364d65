import { useQuery } from '@tanstack/react-query';
import { leadsPortal, type LeadResponse } from '@partnerflow/client';
import { unwrap } from '../../api/client';
import { Card, PageHeader } from '../../components/layout';
import { DataTable } from '../../components/table';
import { Pager, useCursorPages } from '../../components/pager';
import { Empty, QueryView } from '../../components/states';
import { StatusBadge } from '../../components/badge';
import { formatDateTime } from '../../lib/dates';

export function PortalLeadsPage() {
  const pages = useCursorPages('');
  const leads = useQuery({ queryKey: ['portal-leads', pages.cursor], queryFn: () => unwrap(leadsPortal({ query: { cursor: pages.cursor, limit: 25 } })) });
  return (
    <div className="page">
      <PageHeader title="Your leads" description="People you referred. A lead becomes a customer when they pay." />
      <Card>
        <QueryView
          query={leads}
          label="Loading your leads"
          isEmpty={(d) => d.data.length === 0}
          empty={<Empty title="No leads yet">Share your referral link to get started.</Empty>}
        >
          {(page) => (
            <>
              <DataTable<LeadResponse>
                caption="Your leads"
                rows={page.data}
                rowKey={(l) => l.id}
                columns={[
                  { header: 'Email', cell: (l) => l.email },
                  { header: 'Name', cell: (l) => l.name ?? <span className="muted">—</span> },
                  {
                    header: 'Customer',
                    cell: (l) => (l.stripeCustomerId ? <StatusBadge status="paid" label="Customer" /> : <StatusBadge status="pending" label="Not yet" />),
                  },
                  { header: 'Since', cell: (l) => formatDateTime(l.createdAt) },
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
