import { describe, it, expect } from '@jest/globals';
import { checkCommit, type StreamIndex } from './idempotence.js';

/** A stream holding `ids` at revisions 0.., with `cached` of them still in the recent-ids cache (all by default). */
function stream(ids: string[], cached: string[] = ids): StreamIndex {
  return { current: ids.length - 1, idAt: (r) => ids[r], recent: (id) => (cached.includes(id) ? ids.indexOf(id) : undefined) };
}

describe('checkCommit (EventStoreDB IndexWriter.CheckCommit)', () => {
  it('exact revision equal to the stream: a new append, ids not checked', () => {
    expect(checkCommit(1, ['a'], stream(['a', 'b']))).toEqual({ decision: 'append' });
    expect(checkCommit(-1, ['x'], stream([]))).toEqual({ decision: 'append' });
  });

  it('exact revision below the stream: idempotent when the events after it carry the ids in order', () => {
    expect(checkCommit(-1, ['a', 'b'], stream(['a', 'b', 'c']))).toEqual({ decision: 'idempotent', first: 0, last: 1 });
    expect(checkCommit(0, ['b', 'c'], stream(['a', 'b', 'c'], []))).toEqual({ decision: 'idempotent', first: 1, last: 2 });
  });

  it('exact revision below the stream: first id different, some different, more events than follow, or no id: wrong expected version', () => {
    expect(checkCommit(-1, ['x'], stream(['a']))).toEqual({ decision: 'wrong_expected_version' });
    expect(checkCommit(-1, ['a', 'x'], stream(['a', 'b']))).toEqual({ decision: 'wrong_expected_version' });
    expect(checkCommit(0, ['b', 'c'], stream(['a', 'b']))).toEqual({ decision: 'wrong_expected_version' });
    expect(checkCommit(-1, [undefined], stream(['a']))).toEqual({ decision: 'wrong_expected_version' });
    expect(checkCommit(-1, ['b', 'a'], stream(['a', 'b']))).toEqual({ decision: 'wrong_expected_version' });
  });

  it('exact revision above the stream: wrong expected version', () => {
    expect(checkCommit(3, ['a'], stream(['a']))).toEqual({ decision: 'wrong_expected_version' });
  });

  it('any: idempotent when every id is in the recent cache for this stream; a new append when the first is not', () => {
    expect(checkCommit('any', ['b', 'c'], stream(['a', 'b', 'c']))).toEqual({ decision: 'idempotent', first: 1, last: 2 });
    expect(checkCommit('any', ['x', 'b'], stream(['a', 'b']))).toEqual({ decision: 'append' });
    // evicted from the cache: EventStoreDB appends again (idempotence with `any` is best effort)
    expect(checkCommit('any', ['a'], stream(['a'], []))).toEqual({ decision: 'append' });
  });

  it('any: the first id known, a later one not: wrong expected version (corrupted idempotency)', () => {
    expect(checkCommit('any', ['a', 'x'], stream(['a', 'b']))).toEqual({ decision: 'wrong_expected_version' });
  });

  it('stream_exists: wrong expected version on a missing stream, else as any', () => {
    expect(checkCommit('stream_exists', ['a'], stream([]))).toEqual({ decision: 'wrong_expected_version' });
    expect(checkCommit('stream_exists', ['a'], stream(['a']))).toEqual({ decision: 'idempotent', first: 0, last: 0 });
    expect(checkCommit('stream_exists', ['x'], stream(['a']))).toEqual({ decision: 'append' });
  });
});
