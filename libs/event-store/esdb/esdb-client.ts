import type {
  AllStreamResolvedEvent,
  AppendExpectedRevision,
  AppendResult,
  Direction,
  EventData,
  EventStoreDBClient,
  ReadPosition,
  ReadRevision,
  ResolvedEvent,
} from '@eventstore/db-client';

/** A read in progress: iterate it to the end, or `cancel()` it (leaving the loop early does not end the gRPC call). */
export interface EsdbRead<E> extends AsyncIterable<E> {
  cancel(): Promise<void>;
}

/**
 * The part of `EventStoreDBClient` the adapter uses. The real client is one (checked below); the
 * EventStoreDB-semantics server (`../testing/esdb-semantics/`) is another, so the adapter shipped is the one tested.
 */
export interface EsdbClient {
  appendToStream(streamName: string, events: EventData[], options: { expectedRevision: AppendExpectedRevision }): Promise<AppendResult>;
  readStream(streamName: string, options: { fromRevision?: ReadRevision; direction?: Direction; maxCount?: number | bigint }): EsdbRead<ResolvedEvent>;
  readAll(options: { fromPosition?: ReadPosition; direction?: Direction; maxCount?: number | bigint }): EsdbRead<AllStreamResolvedEvent>;
  dispose(): Promise<void>;
}

export const realClient = (client: EventStoreDBClient): EsdbClient => client;

/** Largest append the server takes by default (its MaxAppendSize option), in its measure: see `appendSize`. */
export const ESDB_MAX_APPEND_SIZE = 1_048_576;

/** An event's size as the server counts it against MaxAppendSize (`Event.SizeOnDisk`): data + metadata bytes + 2 per type character. */
export const sizeOnDisk = (type: string, dataBytes: number, metadataBytes: number): number => dataBytes + metadataBytes + type.length * 2;

/** `$`-prefixed streams and types are the server's own (links of system projections, stats, users, settings…). */
export const isSystemEvent = (e: { streamId: string; type: string }): boolean => e.type.startsWith('$') || e.streamId.startsWith('$');
