import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { linkCustomer, paymentsDiagnose, paymentsGet, type DiagnosisResponse, type PaymentResponse } from '@partnerflow/client';
import { unwrap } from '../../api/client';
import { Card, DetailList, PageHeader } from '../../components/layout';
import { Button } from '../../components/button';
import { CheckboxField, errorFor, TextField } from '../../components/fields';
import { Money } from '../../components/money';
import { StatusBadge } from '../../components/badge';
import { Notice } from '../../components/notice';
import { Empty, FormError, QueryView } from '../../components/states';
import { Timeline } from '../../components/timeline';
import { formatDateTime } from '../../lib/dates';
import { methodLabel } from './payments';
import { PartnerLink, usePartners } from './partner-names';

export function PaymentPage() {
  const { id = '' } = useParams();
  const [linked, setLinked] = useState(false);
  const payment = useQuery({
    queryKey: ['payment', id],
    queryFn: () => unwrap(paymentsGet({ path: { id } })),
    // after a link, the attribution follows from events: look again until it shows
    refetchInterval: (q) => (linked && q.state.data?.attribution.status === 'unattributed' ? 500 : false),
  });
  return (
    <div className="page">
      <PageHeader title="Payment" back={{ to: '/admin/payments', label: 'Payments' }} />
      <QueryView query={payment} label="Loading the payment">
        {(p) => (
          <>
            <PaymentSummary payment={p} />
            {p.attribution.status === 'unattributed' && p.customerId && <Diagnosis payment={p} onLinked={() => setLinked(true)} />}
            {p.attribution.status === 'unattributed' && !p.customerId && (
              <Card title="Why it is not attributed">
                <Empty title="This payment has no Stripe customer">
                  Without a customer id there is nothing to link; it can only be attributed by its email.
                </Empty>
              </Card>
            )}
            {linked && p.attribution.status === 'attributed' && <Notice>The customer is linked and this payment is attributed.</Notice>}
            <Timeline type="payment" id={p.id} watch={p.attribution.status} />
          </>
        )}
      </QueryView>
    </div>
  );
}

function PaymentSummary({ payment: p }: { payment: PaymentResponse }) {
  const partners = usePartners();
  return (
    <Card title={<Money amount={p.amount} currency={p.currency} />} id="payment-summary" actions={<StatusBadge status={p.attribution.status} />}>
      <DetailList
        items={[
          ['Paid', formatDateTime(p.paidAt)],
          ['Customer', p.customerId ?? '—'],
          ['Email', p.email ?? '—'],
          ['Tax', <Money key="tax" amount={p.tax} currency={p.currency} />],
          ['Net', <Money key="net" amount={p.net} currency={p.currency} />],
          ['Refunded', <Money key="refunded" amount={p.refundedAmount} currency={p.currency} />],
          ['Stripe object', <code key="obj">{p.stripeObjectId}</code>],
          ['Attributed by', p.attribution.method ? (methodLabel[p.attribution.method] ?? p.attribution.method) : '—'],
          ['Partner', <PartnerLink key="partner" id={p.attribution.partnerId} partners={partners.data?.data} />],
          [
            'Lead',
            p.attribution.leadId ? (
              <Link key="lead" to={`/admin/leads/${p.attribution.leadId}`}>
                {p.attribution.leadId}
              </Link>
            ) : (
              '—'
            ),
          ],
          [
            'Commission',
            p.commissionExcluded ? (
              `Excluded: ${p.commissionExcluded.reason}`
            ) : p.attribution.status === 'attributed' ? (
              <Link key="commission" to={`/admin/commissions?partnerId=${p.attribution.partnerId}`}>
                See commissions
              </Link>
            ) : (
              '—'
            ),
          ],
        ]}
      />
      {p.attribution.trace.length > 0 && (
        <div className="trace">
          <h3>What was tried</h3>
          <ul>
            {p.attribution.trace.map((t, i) => (
              <li key={i}>{t}</li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}

/** Why no lead matched, the leads that might be meant, and one click to link the customer to one of them. */
function Diagnosis({ payment, onLinked }: { payment: PaymentResponse; onLinked: () => void }) {
  const queries = useQueryClient();
  const partners = usePartners();
  const diagnosis = useQuery({ queryKey: ['diagnosis', payment.id], queryFn: () => unwrap(paymentsDiagnose({ path: { id: payment.id } })) });
  const [choice, setChoice] = useState<string | null>(null);
  const [otherLead, setOtherLead] = useState('');
  const [retroactive, setRetroactive] = useState(true);
  const link = useMutation({
    mutationFn: (leadId: string) =>
      unwrap(linkCustomer({ path: { id: leadId }, body: { customerId: payment.customerId!, attributePastPayments: retroactive } })),
    onSuccess: () => {
      onLinked();
      void queries.invalidateQueries({ queryKey: ['payment', payment.id] });
      void queries.invalidateQueries({ queryKey: ['payments'] });
      void queries.invalidateQueries({ queryKey: ['overview'] });
    },
  });

  const selected = (d: DiagnosisResponse) => choice ?? d.candidates[0]?.leadId ?? 'other';
  return (
    <Card title="Diagnosis" id="diagnosis">
      <QueryView query={diagnosis} label="Looking for the lead">
        {(d) => (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const leadId = selected(d) === 'other' ? otherLead.trim() : selected(d);
              if (leadId) link.mutate(leadId);
            }}
          >
            <h3>Why it is not attributed</h3>
            <ul className="reasons">
              {/* the API's own hint (which request to send) is what the form below does */}
              {d.reasons
                .filter((r) => !r.includes('/v1/'))
                .map((r, i) => (
                  <li key={i}>{r}</li>
                ))}
            </ul>
            <fieldset className="choices">
              <legend>Link customer {payment.customerId} to</legend>
              {d.candidates.map((c) => (
                <label key={c.leadId} className="choice">
                  <input type="radio" name="lead" value={c.leadId} checked={selected(d) === c.leadId} onChange={() => setChoice(c.leadId)} />
                  <span className="choice-body">
                    <span className="choice-title">{c.email}</span>
                    <span className="muted small">
                      {c.why} · partner <PartnerLink id={c.partnerId} partners={partners.data?.data} />
                    </span>
                  </span>
                </label>
              ))}
              <label className="choice">
                <input type="radio" name="lead" value="other" checked={selected(d) === 'other'} onChange={() => setChoice('other')} />
                <span className="choice-body">
                  <span className="choice-title">{d.candidates.length ? 'Another lead' : 'A lead, by its id'}</span>
                </span>
              </label>
              {selected(d) === 'other' && (
                <TextField
                  label="Lead id"
                  name="leadId"
                  placeholder="ld_…"
                  value={otherLead}
                  onChange={(e) => setOtherLead(e.target.value)}
                  error={errorFor(link.error, 'leadId')}
                />
              )}
            </fieldset>
            <CheckboxField
              label="Also attribute this customer’s earlier unattributed payments"
              checked={retroactive}
              onChange={(e) => setRetroactive(e.target.checked)}
              hint="Commissions are earned on them too, under the partner’s plan."
            />
            <FormError error={link.error} fields={['customerId']} />
            {errorFor(link.error, 'customerId') && <p className="field-error">{errorFor(link.error, 'customerId')}</p>}
            {link.isSuccess ? (
              <Notice>
                Linked to lead {link.data.id}. {link.data.attributedPayments} payment{link.data.attributedPayments === 1 ? '' : 's'} attributed.
              </Notice>
            ) : (
              <Button type="submit" busy={link.isPending} disabled={selected(d) === 'other' && !otherLead.trim()}>
                Link customer
              </Button>
            )}
          </form>
        )}
      </QueryView>
    </Card>
  );
}
