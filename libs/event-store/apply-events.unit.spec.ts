import { describe, it, expect } from '@jest/globals';
import { applyEvents } from './apply-events.js';
import type { RecordedEvent } from './event-store.port.js';
import type { Projection } from './subscriptions.js';
import type { Sql } from '../database/sql.js';

const ev = (n: number, type: string, data: Record<string, unknown> = {}, streamId = `s-${n}`): RecordedEvent => ({
  streamId,
  type,
  version: 1,
  globalPosition: n,
  checkpoint: `1/${n}`,
  occurredAt: new Date(0),
  schemaVersion: 1,
  data: { n, ...data },
  metadata: {},
});

/** Records every statement; fails any statement containing `boom`. */
function fakeSql() {
  const log: string[] = [];
  const sql: Sql = {
    async query<T>(text: string): Promise<T[]> {
      log.push(text);
      if (text.includes('boom')) throw new Error('boom');
      return [];
    },
  };
  return { sql, log };
}

const projection = (over: Partial<Projection> = {}): Projection => ({
  name: 't',
  tables: [],
  types: ['Created', 'Noise', 'Renamed'],
  async apply(e, sql) {
    if (e.type === 'Noise') return;
    await sql.query(`apply ${e.data.n}${e.data.bad ? ' boom' : ''}`);
  },
  batchTypes: ['Created'],
  async applyBatch(events, sql) {
    await sql.query(`batch ${events.map((e) => e.data.n).join(',')}${events.some((e) => e.data.bad) ? ' boom' : ''}`);
  },
  ...over,
});

describe('applyEvents', () => {
  it('gathers batch types into one run; events apply ignores do not cut it; others run after the run before them', async () => {
    const { sql, log } = fakeSql();
    const events = [ev(1, 'Created'), ev(2, 'Noise'), ev(3, 'Created'), ev(4, 'Renamed'), ev(5, 'Created'), ev(6, 'Noise')];
    expect(await applyEvents(projection(), events, sql)).toEqual({ failed: [], held: [] });
    expect(log).toEqual(['savepoint apply_batch', 'batch 1,3', 'apply 4', 'batch 5', 'release savepoint apply_batch']);
  });

  it('without applyBatch applies each event in order', async () => {
    const { sql, log } = fakeSql();
    await applyEvents(projection({ applyBatch: undefined }), [ev(1, 'Created'), ev(2, 'Renamed')], sql);
    expect(log).toEqual(['savepoint apply_batch', 'apply 1', 'apply 2', 'release savepoint apply_batch']);
  });

  it('on a failing batch, rolls it back and applies one event per savepoint; the failing one is named and the others still apply', async () => {
    const { sql, log } = fakeSql();
    const events = [ev(1, 'Created'), ev(2, 'Created', { bad: true }), ev(3, 'Created')];
    const result = await applyEvents(projection(), events, sql);
    expect(result.failed.map((f) => f.event.globalPosition)).toEqual([2]);
    expect((result.failed[0]!.error as Error).message).toBe('boom');
    expect(result.held).toEqual([]);
    expect(log).toEqual([
      'savepoint apply_batch',
      'batch 1,2,3 boom',
      'rollback to savepoint apply_batch',
      'savepoint apply_one',
      'apply 1',
      'release savepoint apply_one',
      'savepoint apply_one',
      'apply 2 boom',
      'rollback to savepoint apply_one',
      'savepoint apply_one',
      'apply 3',
      'release savepoint apply_one',
    ]);
  });

  it('holds back the later events of a stream whose event failed, or of a stream already parked; other streams apply', async () => {
    const { sql, log } = fakeSql();
    const events = [
      ev(1, 'Created', {}, 'a'),
      ev(2, 'Created', { bad: true }, 'b'),
      ev(3, 'Renamed', {}, 'b'),
      ev(4, 'Renamed', {}, 'a'),
      ev(5, 'Created', {}, 'c'),
    ];
    const result = await applyEvents(projection(), events, sql, new Set(['c']));
    expect(result.failed.map((f) => f.event.globalPosition)).toEqual([2]);
    expect(result.held.map((e) => e.globalPosition)).toEqual([3, 5]);
    expect(log.filter((l) => l.startsWith('apply') || l.startsWith('batch'))).toEqual(['batch 1,2 boom', 'apply 1', 'apply 2 boom', 'apply 4']);
  });

  it('events of a parked stream are held without trying the others one by one', async () => {
    const { sql, log } = fakeSql();
    const result = await applyEvents(projection(), [ev(1, 'Created', {}, 'a'), ev(2, 'Created', {}, 'b')], sql, new Set(['a']));
    expect(result).toEqual({ failed: [], held: [expect.objectContaining({ globalPosition: 1 })] });
    expect(log).toEqual(['savepoint apply_batch', 'batch 2', 'release savepoint apply_batch']);
  });

  it('a batch that fails though every event applies alone still applies them all', async () => {
    const { sql } = fakeSql();
    const flaky = projection({
      async applyBatch() {
        throw new Error('batch bug');
      },
    });
    expect(await applyEvents(flaky, [ev(1, 'Created'), ev(2, 'Created')], sql)).toEqual({ failed: [], held: [] });
  });

  it('an error thrown before any query (bad data) is located the same way', async () => {
    const { sql } = fakeSql();
    const strict = projection({
      async apply(e, s) {
        if (!e.data.name) throw new Error(`event ${e.data.n} has no name`);
        await s.query('ok');
      },
      applyBatch: undefined,
    });
    const result = await applyEvents(strict, [ev(1, 'Created', { name: 'a' }), ev(2, 'Created')], sql);
    expect(result.failed.map((f) => f.event.globalPosition)).toEqual([2]);
  });
  it('hands the projection only its types; the others count as applied, before and after a failing event', async () => {
    const { sql, log } = fakeSql();
    const p = projection({ types: ['Created', 'Renamed'], batchTypes: [], applyBatch: undefined });
    const ok = await applyEvents(p, [ev(1, 'Noise'), ev(2, 'Created'), ev(3, 'Other'), ev(4, 'Renamed')], sql);
    expect(ok).toEqual({ failed: [], held: [] });
    expect(log.filter((l) => l.startsWith('apply'))).toEqual(['apply 2', 'apply 4']);
    const bad = await applyEvents(p, [ev(5, 'Noise'), ev(6, 'Created'), ev(7, 'Other'), ev(8, 'Renamed', { bad: true }), ev(9, 'Created')], sql);
    expect(bad.failed.map((f) => f.event.globalPosition)).toEqual([8]);
    expect(log.filter((l) => l.startsWith('apply')).slice(2)).toEqual(['apply 6', 'apply 8 boom', 'apply 6', 'apply 8 boom', 'apply 9']);
  });
});
