import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { retryWebhookDelivery, webhookDeliveriesList, webhookEndpointsList, type WebhookDeliveryResponse } from '@partnerflow/client';
import { unwrap } from '../../api/client';
import { ProblemError } from '../../api/problem';
import { Card, DetailList, PageHeader } from '../../components/layout';
import { DataTable } from '../../components/table';
import { Pager, useCursorPages } from '../../components/pager';
import { Empty, ErrorState, FormError, QueryView } from '../../components/states';
import { Button } from '../../components/button';
import { SelectField } from '../../components/fields';
import { Notice } from '../../components/notice';
import { StatusBadge } from '../../components/badge';
import { formatDateTime } from '../../lib/dates';

const STATUSES = ['pending', 'succeeded', 'failed'] as const;
type Status = (typeof STATUSES)[number];

/** One endpoint and its delivery log, newest first: status codes, attempts, and a Retry per delivery. */
export function WebhookPage() {
  const { id = '' } = useParams();
  // the API lists endpoints only; a company has few, so the first page of 200 holds this one
  const endpoints = useQuery({ queryKey: ['webhook-endpoints', 'all'], queryFn: () => unwrap(webhookEndpointsList({ query: { limit: 200 } })) });
  const endpoint = endpoints.data?.data.find((e) => e.id === id);
  return (
    <div className="page">
      <PageHeader title="Webhook endpoint" back={{ to: '/admin/webhooks', label: 'Webhooks' }} />
      <QueryView query={endpoints} label="Loading the endpoint">
        {() =>
          endpoint ? (
            <>
              <Card title="Endpoint" id="endpoint" actions={<StatusBadge status={endpoint.status} />}>
                <DetailList
                  items={[
                    [
                      'URL',
                      <code key="u" className="break">
                        {endpoint.url}
                      </code>,
                    ],
                    ['Description', endpoint.description ?? '—'],
                    ['Events', endpoint.events.join(', ')],
                    ['Created', formatDateTime(endpoint.createdAt)],
                    ...(endpoint.disabledAt
                      ? ([['Disabled', `${formatDateTime(endpoint.disabledAt)}${endpoint.disabledReason ? `: ${endpoint.disabledReason}` : ''}`]] as [
                          string,
                          string,
                        ][])
                      : []),
                  ]}
                />
              </Card>
              <Deliveries endpointId={id} />
            </>
          ) : (
            <ErrorState error={new ProblemError(404, { title: 'Not found', detail: `There is no webhook endpoint ${id}.` })} />
          )
        }
      </QueryView>
    </div>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const queries = useQueryClient();
  const [status, setStatus] = useState<Status | ''>('');
  const pages = useCursorPages(status);
  const deliveries = useQuery({
    queryKey: ['webhook-deliveries', endpointId, status, pages.cursor],
    queryFn: () => unwrap(webhookDeliveriesList({ path: { id: endpointId }, query: { status: status || undefined, cursor: pages.cursor, limit: 25 } })),
    // pending deliveries change on their own (the sender's attempts): look again while there are some
    refetchInterval: (q) => (q.state.data?.data.some((d) => d.status === 'pending') ? 3000 : false),
  });
  const retry = useMutation({
    mutationFn: (delivery: WebhookDeliveryResponse) => unwrap(retryWebhookDelivery({ path: { id: delivery.id } })),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['webhook-deliveries', endpointId] }),
  });
  return (
    <Card title="Deliveries" id="deliveries">
      <div className="toolbar">
        <SelectField label="Status" className="field-inline" value={status} onChange={(e) => setStatus(e.target.value as Status | '')}>
          <option value="">All deliveries</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s[0]!.toUpperCase() + s.slice(1)}
            </option>
          ))}
        </SelectField>
      </div>
      {retry.isSuccess && (
        <Notice tone={retry.data.status === 'succeeded' ? 'success' : 'warning'}>
          Sent {retry.data.type} again:{' '}
          {retry.data.lastStatusCode
            ? `the endpoint answered ${retry.data.lastStatusCode}`
            : `no answer${retry.data.lastError ? ` (${retry.data.lastError})` : ''}`}
          {retry.data.lastDurationMs !== null ? ` in ${retry.data.lastDurationMs} ms` : ''}.
        </Notice>
      )}
      <FormError error={retry.error} />
      <QueryView
        query={deliveries}
        label="Loading deliveries"
        isEmpty={(d) => d.data.length === 0}
        empty={<Empty title="No deliveries yet">Each event of a subscribed type becomes a delivery here.</Empty>}
      >
        {(page) => (
          <>
            <DataTable<WebhookDeliveryResponse>
              caption="Deliveries, newest first"
              rows={page.data}
              rowKey={(d) => d.id}
              columns={[
                {
                  header: 'Event',
                  cell: (d) => (
                    <div>
                      {d.type}
                      <code className="small break block">{d.eventId}</code>
                    </div>
                  ),
                },
                { header: 'Status', cell: (d) => <StatusBadge status={d.status} /> },
                { header: 'Attempts', align: 'end', cell: (d) => d.attempts },
                {
                  header: 'Last answer',
                  cell: (d) =>
                    d.lastStatusCode !== null ? (
                      <span className={d.lastStatusCode < 300 ? '' : 'text-danger'}>HTTP {d.lastStatusCode}</span>
                    ) : (
                      <span className="muted">{d.lastError ?? '—'}</span>
                    ),
                },
                { header: 'Last attempt', cell: (d) => formatDateTime(d.lastAttemptAt) },
                { header: 'Next attempt', cell: (d) => (d.status === 'pending' ? formatDateTime(d.nextAttemptAt) : <span className="muted">—</span>) },
                {
                  header: 'Actions',
                  cell: (d) => (
                    <Button
                      variant="secondary"
                      busy={retry.isPending && retry.variables?.id === d.id}
                      disabled={retry.isPending}
                      aria-label={`Retry ${d.type} ${d.eventId}`}
                      onClick={() => retry.mutate(d)}
                    >
                      Retry
                    </Button>
                  ),
                },
              ]}
            />
            <Pager pages={pages} nextCursor={page.nextCursor} label="Deliveries" />
          </>
        )}
      </QueryView>
    </Card>
  );
}
