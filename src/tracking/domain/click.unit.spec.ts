import { describe, it, expect } from '@jest/globals';
import { decideClick, evolveVisitorClicks, noClicks, parseClickId, type ClickInput } from './click.js';

const KEY = 'a'.repeat(32);
const input: ClickInput = { companyId: 'co_1', partnerId: 'pa_1', referralKey: 'ref_1', source: 'link', url: null, referrer: null };
const at = (iso: string) => new Date(iso);

describe('click decider', () => {
  it('counts a visitor’s first click as click 1 of its stream', () => {
    const d = decideClick(noClicks, KEY, input, at('2026-01-01T10:00:00Z'));
    expect(d).toEqual({
      counted: true,
      clickId: `clk_${KEY}_1`,
      event: { type: 'ClickRecorded', data: { ...input, clickId: `clk_${KEY}_1`, at: '2026-01-01T10:00:00.000Z' } },
    });
    expect(parseClickId(d.clickId)).toEqual({ visitorKey: KEY, n: 1 });
  });

  it('counts the same visitor once within 24 h, and again after', () => {
    const first = decideClick(noClicks, KEY, input, at('2026-01-01T10:00:00Z'));
    const state = evolveVisitorClicks(noClicks, (first as { event: { type: string; data: Record<string, unknown> } }).event);
    expect(decideClick(state, KEY, input, at('2026-01-02T09:59:59.999Z'))).toEqual({ counted: false, clickId: `clk_${KEY}_1` });
    expect(decideClick(state, KEY, input, at('2026-01-02T10:00:00Z'))).toMatchObject({ counted: true, clickId: `clk_${KEY}_2` });
  });

  it('parses only click ids', () => {
    expect(parseClickId('clk_abc_1')).toBeNull();
    expect(parseClickId(`clk_${KEY}_0`)).toBeNull();
    expect(parseClickId(`clk_${KEY.toUpperCase()}_1`)).toBeNull();
    expect(parseClickId(`ld_${KEY}`)).toBeNull();
  });
});
