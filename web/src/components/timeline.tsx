import { useQuery } from '@tanstack/react-query';
import { streamHistoryList, type AuditEventResponse } from '@partnerflow/client';
import { unwrap } from '../api/client';
import { formatDateTime } from '../lib/dates';
import { Card } from './layout';
import { Pager, useCursorPages } from './pager';
import { QueryView } from './states';

type StreamType = 'payment' | 'lead' | 'partner' | 'invoice';

/** `PaymentAttributed` → "Payment attributed". */
const humanize = (type: string) =>
  type
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/^./, (c) => c.toUpperCase());

/** The resource's history from its events (GET /v1/audit/streams/{type}/{id}), oldest first. */
export function Timeline({
  type,
  id,
  watch,
}: {
  type: StreamType;
  id: string;
  /** a state of the resource: when it changes, so has its history */ watch?: string;
}) {
  const pages = useCursorPages(`${type}/${id}`);
  const query = useQuery({
    queryKey: ['audit', type, id, pages.cursor, watch],
    queryFn: () => unwrap(streamHistoryList({ path: { type, id }, query: { cursor: pages.cursor, limit: 50 } })),
  });
  return (
    <Card title="History" id={`history-${type}`}>
      <QueryView query={query} label="Loading the history" isEmpty={(d) => d.data.length === 0} empty={<p className="muted">No events recorded yet.</p>}>
        {(page) => (
          <>
            <ol className="timeline">
              {page.data.map((e: AuditEventResponse) => (
                <li key={`${e.streamId}-${e.version}`}>
                  <div className="timeline-head">
                    <span className="timeline-type">{humanize(e.type)}</span>
                    <time dateTime={e.occurredAt}>{formatDateTime(e.occurredAt)}</time>
                  </div>
                  <details>
                    <summary>Event data</summary>
                    <pre>{JSON.stringify(e.data, null, 2)}</pre>
                  </details>
                </li>
              ))}
            </ol>
            <Pager pages={pages} nextCursor={page.nextCursor} label="History" />
          </>
        )}
      </QueryView>
    </Card>
  );
}
