/**
 * EventStoreDB's decision for an append, idempotence included, as its server takes it (`IndexWriter.CheckCommit`),
 * in its own terms: revisions count from 0 and -1 is "no stream". Both the EventStoreDB-semantics store and the
 * Postgres adapter decide with it, so a retried append behaves the same on every store.
 *
 * - `stream_exists` on a stream with no events: wrong expected version.
 * - `any` / `stream_exists`: the ids are looked up in a cache of recently written ids (`recent`). The first one
 *   unknown there: a new append. Every one found in this stream: idempotent (nothing written). Only some: wrong
 *   expected version (EventStoreDB's "corrupted idempotency").
 * - an exact revision below the stream's: the events after it must carry the ids, in order: then idempotent;
 *   the first one differing: wrong expected version (a later one: corrupted idempotency, reported the same).
 * - an exact revision above the stream's: wrong expected version; equal: a new append (ids are not checked).
 */
export type Expectation = 'any' | 'stream_exists' | number;

export type CommitCheck = { decision: 'append' } | { decision: 'idempotent'; first: number; last: number } | { decision: 'wrong_expected_version' };

export interface StreamIndex {
  /** Last revision of the stream, -1 when it has no event. */
  readonly current: number;
  /** Id of the event at `revision` (the stream's index: always exact). */
  idAt(revision: number): string | undefined;
  /** Revision of the event with this id in this stream, if the cache of recent ids still has it. */
  recent(id: string): number | undefined;
}

export function checkCommit(expected: Expectation, ids: readonly (string | undefined)[], stream: StreamIndex): CommitCheck {
  const wrong = { decision: 'wrong_expected_version' } as const;
  if (expected === 'stream_exists' && stream.current < 0) return wrong;
  if (expected === 'any' || expected === 'stream_exists') {
    if (ids.length === 0) return { decision: 'append' };
    let first = -1;
    let last = -1;
    for (const [i, id] of ids.entries()) {
      const revision = id === undefined ? undefined : stream.recent(id);
      if (revision === undefined) return i === 0 ? { decision: 'append' } : wrong;
      if (i === 0) first = revision;
      last = revision;
    }
    return { decision: 'idempotent', first, last };
  }
  if (expected < stream.current) {
    let revision = expected;
    for (const id of ids) {
      revision += 1;
      if (id !== undefined && (stream.recent(id) === revision || stream.idAt(revision) === id)) continue;
      return wrong;
    }
    return revision === expected ? wrong : { decision: 'idempotent', first: expected + 1, last: revision };
  }
  if (expected > stream.current) return wrong;
  return { decision: 'append' };
}
