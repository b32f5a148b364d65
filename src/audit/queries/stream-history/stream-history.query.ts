import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '../../../../libs/event-store/event-store.port.js';
import { decodeCursor, page, type Page } from '../../../../libs/http/pagination.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import { EVENT_STORE } from '../../../core/tokens.js';
import { auditStreamId, toAuditEvent, type AuditEvent, type AuditStreamType } from './audit-stream.js';

/** A resource's history, straight from its event stream; the cursor is the last version shown. */
@Injectable()
export class StreamHistoryQuery {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async list(companyId: string, type: AuditStreamType, id: string, q: { cursor?: string; limit: number }): Promise<Page<AuditEvent>> {
    const streamId = auditStreamId(type, companyId, id);
    if (!streamId) throw notFound(type, id);
    const after = decodeCursor(q.cursor);
    const events = await this.store.readStream(streamId, after + 1);
    if (events.length === 0 && (after === 0 || (await this.store.readStream(streamId, after)).length === 0)) throw notFound(type, id);
    const rows = events.slice(0, q.limit + 1).map((e) => ({ position: e.version, event: e }));
    return page(rows, q.limit, (r) => toAuditEvent(r.event));
  }
}
