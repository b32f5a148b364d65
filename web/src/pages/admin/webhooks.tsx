import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import {
  createWebhookEndpoint,
  createWebhookEndpointDelete,
  webhookEndpointsList,
  type CreateWebhookEndpointRequest,
  type WebhookEndpointResponse,
} from '@partnerflow/client';
import { unwrap } from '../../api/client';
import { Card, PageHeader } from '../../components/layout';
import { DataTable } from '../../components/table';
import { Pager, useCursorPages } from '../../components/pager';
import { Empty, FormError, QueryView } from '../../components/states';
import { Button } from '../../components/button';
import { CheckboxField, errorFor, TextField } from '../../components/fields';
import { Notice } from '../../components/notice';
import { CopyButton } from '../../components/copy-button';
import { StatusBadge } from '../../components/badge';
import { ConfirmAction } from '../../components/confirm';
import { formatDateTime } from '../../lib/dates';

export type EventType = CreateWebhookEndpointRequest['events'][number];

/** Every event type an endpoint may subscribe to (SPEC §12), in the order a reader thinks of them. */
export const EVENT_TYPES: Record<EventType, string> = {
  'payment.attributed': 'A payment was attributed to a partner',
  'payment.unattributed': 'A payment matched no lead',
  'lead.created': 'A lead was created',
  'partner.created': 'A partner was created',
  'commission.created': 'A commission was earned',
  'commission.reversed': 'A commission was reversed (refund, dispute)',
  'commission.approved': 'A commission was approved in review',
  'commission.declined': 'A commission was declined in review',
  'invoice.created': 'An invoice was generated',
  'invoice.approved': 'An invoice was approved',
  'invoice.paid': 'An invoice was paid',
  'invoice.payment_failed': 'Paying an invoice failed',
  'invoice.voided': 'An invoice was voided',
};

export function WebhooksPage() {
  const pages = useCursorPages('');
  const endpoints = useQuery({
    queryKey: ['webhook-endpoints', pages.cursor],
    queryFn: () => unwrap(webhookEndpointsList({ query: { cursor: pages.cursor, limit: 25 } })),
  });
  return (
    <div className="page">
      <PageHeader
        title="Webhooks"
        description="Your own systems hear about payments, commissions, invoices, leads and partners as they happen: signed POSTs to your endpoints, retried for up to 3 days."
      />
      <CreateEndpoint />
      <Card title="Endpoints" id="endpoints">
        <QueryView
          query={endpoints}
          label="Loading endpoints"
          isEmpty={(d) => d.data.length === 0}
          empty={<Empty title="No endpoints yet">Add one above to receive events.</Empty>}
        >
          {(page) => (
            <>
              <DataTable<WebhookEndpointResponse>
                caption="Webhook endpoints"
                rows={page.data}
                rowKey={(e) => e.id}
                columns={[
                  {
                    header: 'URL',
                    cell: (e) => (
                      <div>
                        <Link to={`/admin/webhooks/${e.id}`} className="break">
                          {e.url}
                        </Link>
                        {e.description && <span className="muted small block">{e.description}</span>}
                      </div>
                    ),
                  },
                  { header: 'Events', cell: (e) => <span className="small">{e.events.join(', ')}</span> },
                  {
                    header: 'Status',
                    cell: (e) => (
                      <div>
                        <StatusBadge status={e.status} />
                        {e.disabledAt && (
                          <span className="muted small block">
                            since {formatDateTime(e.disabledAt)}
                            {e.disabledReason ? `: ${e.disabledReason}` : ''}
                          </span>
                        )}
                      </div>
                    ),
                  },
                  { header: 'Created', cell: (e) => formatDateTime(e.createdAt) },
                  { header: 'Actions', cell: (e) => <DeleteEndpoint endpoint={e} /> },
                ]}
              />
              <Pager pages={pages} nextCursor={page.nextCursor} label="Endpoints" />
            </>
          )}
        </QueryView>
      </Card>
    </div>
  );
}

function CreateEndpoint() {
  const queries = useQueryClient();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<Set<EventType>>(new Set());
  const create = useMutation({
    mutationFn: () => unwrap(createWebhookEndpoint({ body: { url: url.trim(), events: [...events], description: description.trim() || undefined } })),
    onSuccess: () => {
      setUrl('');
      setDescription('');
      setEvents(new Set());
      void queries.invalidateQueries({ queryKey: ['webhook-endpoints'] });
    },
  });
  const toggle = (type: EventType, on: boolean) =>
    setEvents((s) => {
      const next = new Set(s);
      if (on) next.add(type);
      else next.delete(type);
      return next;
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const all = Object.keys(EVENT_TYPES) as EventType[];
  return (
    <Card title="New endpoint" id="new-endpoint">
      <form onSubmit={submit} noValidate>
        <div className="form-grid">
          <TextField
            label="Endpoint URL"
            type="url"
            inputMode="url"
            placeholder="https://example.com/partnerflow/webhooks"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            error={errorFor(create.error, 'url')}
            hint="https, reachable from the internet"
          />
          <TextField
            label="Description (optional)"
            value={description}
            maxLength={200}
            onChange={(e) => setDescription(e.target.value)}
            error={errorFor(create.error, 'description')}
          />
        </div>
        <fieldset className="choices event-types" aria-describedby={errorFor(create.error, 'events') ? 'events-error' : undefined}>
          <legend>Events to send</legend>
          <div className="actions">
            <Button variant="ghost" onClick={() => setEvents(new Set(all))}>
              Select all
            </Button>
            <Button variant="ghost" onClick={() => setEvents(new Set())}>
              Select none
            </Button>
          </div>
          <div className="check-grid">
            {all.map((type) => (
              <CheckboxField key={type} label={type} hint={EVENT_TYPES[type]} checked={events.has(type)} onChange={(e) => toggle(type, e.target.checked)} />
            ))}
          </div>
          {errorFor(create.error, 'events') && (
            <p className="field-error" id="events-error">
              {errorFor(create.error, 'events')}
            </p>
          )}
        </fieldset>
        <FormError error={create.error} fields={['url', 'events', 'description']} />
        <Button type="submit" busy={create.isPending}>
          Create endpoint
        </Button>
      </form>
      {create.isSuccess && (
        <Notice>
          <p>
            <Link to={`/admin/webhooks/${create.data.id}`}>The endpoint</Link> is created. Its signing secret is shown this once: verify each request’s{' '}
            <code>Partnerflow-Signature</code> with it.
          </p>
          <p className="secret">
            <code className="break">{create.data.secret}</code> <CopyButton text={create.data.secret} label="Copy signing secret" />
          </p>
        </Notice>
      )}
    </Card>
  );
}

function DeleteEndpoint({ endpoint }: { endpoint: WebhookEndpointResponse }) {
  const queries = useQueryClient();
  const remove = useMutation({
    mutationFn: () => unwrap(createWebhookEndpointDelete({ path: { id: endpoint.id } })),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['webhook-endpoints'] }),
  });
  return (
    <div>
      <ConfirmAction
        label="Delete"
        confirmLabel="Delete endpoint"
        warning={<p>Nothing more is sent to {endpoint.url}; its pending deliveries are dropped.</p>}
        onConfirm={() => remove.mutateAsync()}
      />
      <FormError error={remove.error} />
    </div>
  );
}
