import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { leadsGet, linkCustomer, paymentsList } from '@partnerflow/client';
import { unwrap } from '../../api/client';
import { Card, DetailList, PageHeader } from '../../components/layout';
import { Button } from '../../components/button';
import { CheckboxField, errorFor, TextField } from '../../components/fields';
import { Empty, FormError, QueryView } from '../../components/states';
import { Money } from '../../components/money';
import { StatusBadge } from '../../components/badge';
import { Notice } from '../../components/notice';
import { Timeline } from '../../components/timeline';
import { formatDateTime } from '../../lib/dates';
import { PartnerLink, usePartners } from './partner-names';

export function LeadPage() {
  const { id = '' } = useParams();
  const partners = usePartners();
  const lead = useQuery({ queryKey: ['lead', id], queryFn: () => unwrap(leadsGet({ path: { id } })) });
  const payments = useQuery({ queryKey: ['payments', 'lead', id], queryFn: () => unwrap(paymentsList({ query: { leadId: id, limit: 50 } })) });
  return (
    <div className="page">
      <PageHeader title={lead.data?.email ?? 'Lead'} back={{ to: '/admin/leads', label: 'Leads' }} />
      <QueryView query={lead} label="Loading the lead">
        {(l) => (
          <>
            <Card id="lead-summary" title="Lead">
              <DetailList
                items={[
                  ['Email', l.email],
                  ['Name', l.name ?? '—'],
                  ['Partner', <PartnerLink key="p" id={l.partnerId} partners={partners.data?.data} />],
                  ['Stripe customer', l.stripeCustomerId ? <code key="c">{l.stripeCustomerId}</code> : 'not linked'],
                  ['Created', formatDateTime(l.createdAt)],
                ]}
              />
            </Card>
            {!l.stripeCustomerId && <LinkForm leadId={l.id} />}
            <Card title="Payments" id="lead-payments">
              <QueryView query={payments} isEmpty={(d) => d.data.length === 0} empty={<Empty title="No payments attributed to this lead" />}>
                {(page) => (
                  <ul className="item-list">
                    {page.data.map((p) => (
                      <li key={p.id}>
                        <Link to={`/admin/payments/${p.id}`}>{formatDateTime(p.paidAt)}</Link>
                        <Money amount={p.amount} currency={p.currency} />
                        <StatusBadge status={p.attribution.status} />
                      </li>
                    ))}
                  </ul>
                )}
              </QueryView>
            </Card>
            <Timeline type="lead" id={l.id} watch={l.stripeCustomerId ?? ''} />
          </>
        )}
      </QueryView>
    </div>
  );
}

function LinkForm({ leadId }: { leadId: string }) {
  const queries = useQueryClient();
  const [customerId, setCustomerId] = useState('');
  const [retroactive, setRetroactive] = useState(true);
  const link = useMutation({
    mutationFn: () => unwrap(linkCustomer({ path: { id: leadId }, body: { customerId: customerId.trim(), attributePastPayments: retroactive } })),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: ['lead', leadId] });
      void queries.invalidateQueries({ queryKey: ['payments'] });
    },
  });
  return (
    <Card title="Link a Stripe customer" id="lead-link">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          link.mutate();
        }}
      >
        <TextField
          label="Stripe customer id"
          placeholder="cus_…"
          value={customerId}
          onChange={(e) => setCustomerId(e.target.value)}
          error={errorFor(link.error, 'customerId')}
        />
        <CheckboxField
          label="Also attribute this customer’s earlier unattributed payments"
          checked={retroactive}
          onChange={(e) => setRetroactive(e.target.checked)}
        />
        <FormError error={link.error} fields={['customerId']} />
        {link.isSuccess && <Notice>Linked; {link.data.attributedPayments} earlier payment(s) attributed.</Notice>}
        <Button type="submit" busy={link.isPending} disabled={!customerId.trim()}>
          Link customer
        </Button>
      </form>
    </Card>
  );
}
