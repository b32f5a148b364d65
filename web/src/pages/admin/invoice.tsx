import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { invoiceLifecycleApprove, invoiceLifecycleMarkPaid, invoiceLifecycleVoid, invoicesGet, payInvoice, type InvoiceResponse } from '@partnerflow/client';
import { unwrap } from '../../api/client';
import { Card, DetailList, PageHeader } from '../../components/layout';
import { Button } from '../../components/button';
import { errorFor, TextField } from '../../components/fields';
import { FormError, QueryView } from '../../components/states';
import { Money } from '../../components/money';
import { StatusBadge } from '../../components/badge';
import { Notice } from '../../components/notice';
import { DataTable } from '../../components/table';
import { Timeline } from '../../components/timeline';
import { formatDateTime, formatDay } from '../../lib/dates';
import { PartnerLink, usePartners } from './partner-names';

export function InvoicePage() {
  const { id = '' } = useParams();
  const partners = usePartners();
  const invoice = useQuery({
    queryKey: ['invoice', id],
    queryFn: () => unwrap(invoicesGet({ path: { id } })),
    // a payment in flight settles through Stripe's webhook: look again until it has
    refetchInterval: (q) => (q.state.data?.status === 'processing' ? 1000 : false),
  });
  return (
    <div className="page">
      <PageHeader
        title={invoice.data ? `Invoice ${invoice.data.number}` : 'Invoice'}
        back={{ to: '/admin/invoices', label: 'Invoices' }}
        actions={
          invoice.data && (
            <a className="btn btn-secondary" href={`/v1/invoices/${encodeURIComponent(invoice.data.id)}/document`} target="_blank" rel="noopener">
              Open document
            </a>
          )
        }
      />
      <QueryView query={invoice} label="Loading the invoice">
        {(inv) => (
          <>
            <Card title={<Money amount={inv.total} currency={inv.currency} />} id="invoice-summary" actions={<StatusBadge status={inv.status} />}>
              <DetailList
                items={[
                  ['Partner', <PartnerLink key="p" id={inv.partnerId} partners={partners.data?.data} />],
                  ['Period', `${formatDay(inv.periodStart)} – ${formatDay(inv.periodEnd)}`],
                  ['Created', formatDateTime(inv.createdAt)],
                  ['Paid', inv.paidAt ? formatDateTime(inv.paidAt) : '—'],
                  [
                    'Payment',
                    inv.paymentIntentId ? <code key="pi">{inv.paymentIntentId}</code> : inv.paidReference ? `paid outside: ${inv.paidReference}` : '—',
                  ],
                ]}
              />
              {inv.status === 'payment_failed' && (
                <div className="notice notice-warning" role="alert">
                  {inv.failureReason
                    ? `The payment failed: ${inv.failureReason.replace(/\.$/, '')}.`
                    : 'The payment failed. Check the card in Settings, then Pay again, or mark the invoice as paid.'}
                </div>
              )}
              {inv.status === 'processing' && <Notice tone="info">The payment is on its way; Stripe confirms it in a moment.</Notice>}
            </Card>
            <Actions invoice={inv} />
            <Card title="Lines" id="invoice-lines">
              <DataTable
                caption="Invoice lines"
                rows={inv.lines}
                rowKey={(l) => l.commissionId}
                columns={[
                  { header: 'Commission', cell: (l) => <Link to={`/admin/commissions?partnerId=${inv.partnerId}`}>{l.commissionId}</Link> },
                  { header: 'Amount', align: 'end', cell: (l) => <Money amount={l.amount} currency={l.currency} /> },
                  { header: 'Rate', cell: (l) => (l.fxRate ? `${l.fxRate} (${l.fxSource ?? 'rate'}, ${formatDay(l.fxAsOf)})` : '—') },
                  { header: 'In invoice currency', align: 'end', cell: (l) => <Money amount={l.convertedAmount} currency={inv.currency} /> },
                ]}
              />
            </Card>
            <Timeline type="invoice" id={inv.id} watch={inv.status} />
          </>
        )}
      </QueryView>
    </div>
  );
}

/** What can happen next to the invoice, by status: Approve, Pay, Mark as paid, Void. */
function Actions({ invoice }: { invoice: InvoiceResponse }) {
  const queries = useQueryClient();
  const [reference, setReference] = useState('');
  const done = (inv: InvoiceResponse) => {
    queries.setQueryData(['invoice', inv.id], inv);
    void queries.invalidateQueries({ queryKey: ['invoices'] });
    void queries.invalidateQueries({ queryKey: ['overview'] });
  };
  const path = { path: { id: invoice.id } };
  const approve = useMutation({ mutationFn: () => unwrap(invoiceLifecycleApprove(path)), onSuccess: done });
  const pay = useMutation({ mutationFn: () => unwrap(payInvoice(path)), onSuccess: done });
  const markPaid = useMutation({ mutationFn: () => unwrap(invoiceLifecycleMarkPaid({ ...path, body: { reference: reference.trim() } })), onSuccess: done });
  const voidIt = useMutation({ mutationFn: () => unwrap(invoiceLifecycleVoid(path)), onSuccess: done });
  const s = invoice.status;
  const canPay = s === 'approved' || s === 'payment_failed';
  const canVoid = s === 'pending_approval' || s === 'approved' || s === 'payment_failed';
  if (!canPay && !canVoid) return null;
  const error = approve.error ?? pay.error ?? voidIt.error;
  return (
    <Card title="Next step" id="invoice-actions">
      <div className="actions">
        {s === 'pending_approval' && (
          <Button busy={approve.isPending} onClick={() => approve.mutate()}>
            Approve
          </Button>
        )}
        {canPay && (
          <Button busy={pay.isPending} onClick={() => pay.mutate()}>
            Pay
          </Button>
        )}
        {canVoid && (
          <Button variant="danger" busy={voidIt.isPending} onClick={() => voidIt.mutate()}>
            Void
          </Button>
        )}
      </div>
      <p className="muted small">
        {canPay && 'Pay charges the company card and sends the money to the partner’s Stripe account. '}
        Void cancels the invoice; its commissions become payable again.
      </p>
      <FormError error={error} />
      {canPay && (
        <form
          className="form-row mark-paid"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            markPaid.mutate();
          }}
        >
          <TextField
            label="Paid outside Stripe? Reference"
            placeholder="bank transfer reference"
            value={reference}
            onChange={(e) => setReference(e.target.value)}
            error={errorFor(markPaid.error, 'reference')}
          />
          <Button type="submit" variant="secondary" busy={markPaid.isPending} disabled={!reference.trim()}>
            Mark as paid
          </Button>
        </form>
      )}
      <FormError error={markPaid.error} fields={['reference']} />
    </Card>
  );
}
