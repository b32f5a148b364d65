import { describe, it, expect, afterEach } from '@jest/globals';
import { allReached, CheckpointStore } from './checkpoint-store.js';
import type { RecordedEvent } from './event-store.port.js';
import { eventStoreDatabase } from '../../test/support/event-store-database.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const at = (checkpoint: string, globalPosition: number) => ({ checkpoint, globalPosition }) as RecordedEvent;

describe('CheckpointStore', () => {
  it('answers where subscribers are, and whether all named have got to a checkpoint', async () => {
    const { orm } = await eventStoreDatabase(cleanups);
    const checkpoints = new CheckpointStore(orm);
    await checkpoints.ensure(['b', 'a']);
    await checkpoints.save('a', at('5/5', 5));
    expect(await checkpoints.positions(['a', 'b', 'c'])).toEqual([
      { name: 'a', checkpoint: '5/5', status: 'running' },
      { name: 'b', checkpoint: '0/0', status: 'running' },
    ]);
    const positions = await checkpoints.positions(['a', 'b']);
    expect(allReached(positions, ['a'], '5/5')).toBe(false); // a position for each name, no more, no fewer
    expect(allReached(positions.slice(0, 1), ['a'], '5/5')).toBe(true);
    expect(allReached(positions.slice(0, 1), ['a'], '5/6')).toBe(false);
    expect(allReached(positions, ['a', 'b'], '1/1')).toBe(false);
    expect(allReached([{ ...positions[1]!, status: 'failed' }], ['b'], '1/1')).toBe(true); // a failed one waits for the operator
    expect(allReached([], ['c'], '0/0')).toBe(false);
  });

  it('moves a running checkpoint only from where it was (compare-and-set)', async () => {
    const { orm } = await eventStoreDatabase(cleanups);
    const checkpoints = new CheckpointStore(orm);
    await checkpoints.ensure(['p']);
    expect(await checkpoints.advance('p', '0/0', at('3/3', 3))).toBe(true);
    expect(await checkpoints.advance('p', '0/0', at('4/4', 4))).toBe(false);
    expect(await checkpoints.get('p')).toMatchObject({ checkpoint: '3/3', global_position: '3' });
  });
});
