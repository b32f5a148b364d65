import { describe, it, expect } from '@jest/globals';
import { formatSeconds, progressLine, ReplayProgress } from './progress.js';

describe('replay progress', () => {
  it('shows the bar, counts, rate and ETA', () => {
    expect(progressLine(250_000, 1_000_000, 5_000, 10)).toBe('[###-------]  25.0%  250,000/1,000,000 events  50,000 events/s  ETA 15s');
    expect(progressLine(0, 1_000_000, 0, 4)).toBe('[----]   0.0%  0/1,000,000 events  0 events/s  ETA --');
    expect(progressLine(0, 0, 10, 4)).toBe('[####] 100.0%  0/0 events  0 events/s  ETA --');
  });

  it('formats durations', () => {
    expect(formatSeconds(3.21)).toBe('3.2s');
    expect(formatSeconds(42.4)).toBe('42s');
    expect(formatSeconds(125)).toBe('2m05s');
  });

  it('counts the slowest projection as done, ignores others, and ends with a full bar', () => {
    const lines: string[] = [];
    const p = new ReplayProgress({ write: (s: string) => lines.push(s) }, 100, ['a', 'b']);
    p.add('a', 80);
    p.add('b', 30);
    p.add('other', 1000);
    expect(p.done).toBe(30);
    p.finish(false);
    expect(lines.at(-1)).toContain(' 30.0%  30/100 events');
    p.finish(true);
    expect(lines.at(-1)).toContain('100.0%  100/100 events');
  });
});
