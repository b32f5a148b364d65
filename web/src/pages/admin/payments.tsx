import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { paymentsList, type PaymentResponse } from '@partnerflow/client';
import { unwrap } from '../../api/client';
import { PageHeader, Card } from '../../components/layout';
import { DataTable } from '../../components/table';
import { Pager, useCursorPages } from '../../components/pager';
import { Empty, QueryView } from '../../components/states';
import { Money } from '../../components/money';
import { StatusBadge } from '../../components/badge';
import { SelectField } from '../../components/fields';
import { formatDateTime } from '../../lib/dates';
import { PartnerLink, usePartners } from './partner-names';
import { ExportLink } from '../../components/export-link';

type Attribution = 'attributed' | 'unattributed' | '';

export const methodLabel: Record<string, string> = {
  customer_id: 'customer id',
  email: 'email',
  client_reference_id: 'checkout reference',
  promotion_code: 'promotion code',
  manual: 'manual link',
};

export function PaymentsPage() {
  const [params, setParams] = useSearchParams();
  const attribution = (['attributed', 'unattributed'].includes(params.get('attribution') ?? '') ? params.get('attribution') : '') as Attribution;
  const pages = useCursorPages(attribution);
  const partners = usePartners();
  const query = useQuery({
    queryKey: ['payments', attribution, pages.cursor],
    queryFn: () => unwrap(paymentsList({ query: { attribution: attribution || undefined, cursor: pages.cursor, limit: 25 } })),
  });
  return (
    <div className="page">
      <PageHeader title="Payments" description="Every payment Stripe reported, and the partner it was attributed to." />
      <Card>
        <div className="toolbar">
          <SelectField
            label="Attribution"
            className="field-inline"
            value={attribution}
            onChange={(e) => setParams(e.target.value ? { attribution: e.target.value } : {})}
          >
            <option value="">All payments</option>
            <option value="attributed">Attributed</option>
            <option value="unattributed">Unattributed (needs a link)</option>
          </SelectField>
          <ExportLink file="payments.csv" filters={{ attribution: attribution || undefined }} label="payments" />
        </div>
        <QueryView
          query={query}
          label="Loading payments"
          isEmpty={(d) => d.data.length === 0}
          empty={
            <Empty title={attribution === 'unattributed' ? 'No unattributed payments' : 'No payments yet'}>
              Payments appear when Stripe sends the company’s webhook events.
            </Empty>
          }
        >
          {(page) => (
            <>
              <DataTable<PaymentResponse>
                caption="Payments"
                rows={page.data}
                rowKey={(p) => p.id}
                columns={[
                  { header: 'Customer', cell: (p) => <Link to={`/admin/payments/${p.id}`}>{p.email ?? p.customerId ?? p.stripeObjectId}</Link> },
                  { header: 'Paid', cell: (p) => formatDateTime(p.paidAt) },
                  { header: 'Amount', align: 'end', cell: (p) => <Money amount={p.amount} currency={p.currency} /> },
                  {
                    header: 'Attribution',
                    cell: (p) => (
                      <>
                        <StatusBadge status={p.attribution.status} />
                        {p.attribution.method && <span className="muted small"> by {methodLabel[p.attribution.method] ?? p.attribution.method}</span>}
                      </>
                    ),
                  },
                  { header: 'Partner', cell: (p) => <PartnerLink id={p.attribution.partnerId} partners={partners.data?.data} /> },
                ]}
              />
              <Pager pages={pages} nextCursor={page.nextCursor} label="Payments" />
            </>
          )}
        </QueryView>
      </Card>
    </div>
  );
}
