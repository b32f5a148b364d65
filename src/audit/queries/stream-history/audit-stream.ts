import type { RecordedEvent } from '../../../../libs/event-store/event-store.port.js';

export const AUDIT_STREAM_TYPES = ['payment', 'lead', 'partner', 'invoice', 'commission', 'company'] as const;
export type AuditStreamType = (typeof AUDIT_STREAM_TYPES)[number];

export interface AuditEvent {
  streamId: string;
  type: string;
  version: number;
  globalPosition: number;
  occurredAt: string;
  schemaVersion: number;
  data: Record<string, unknown>;
}

/**
 * The stream of a resource of the caller's company (`<type>-<companyId>-<id>`, the company's own
 * `company-<companyId>`): the company id is part of the name, so another tenant's id names a stream
 * that does not exist.
 */
export function auditStreamId(type: AuditStreamType, companyId: string, id: string): string | undefined {
  if (type === 'company') return id === companyId ? `company-${companyId}` : undefined;
  return `${type}-${companyId}-${id}`;
}

/** Encrypted secrets and key hashes never leave through the audit trail, at any depth. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !/(Encrypted|Hash)$/.test(k))
      .map(([k, v]) => [k, withoutSecrets(v)]),
  );
}

export function toAuditEvent(e: RecordedEvent): AuditEvent {
  return {
    streamId: e.streamId,
    type: e.type,
    version: e.version,
    globalPosition: e.globalPosition,
    occurredAt: e.occurredAt.toISOString(),
    schemaVersion: e.schemaVersion,
    data: withoutSecrets(e.data) as Record<string, unknown>,
  };
}
