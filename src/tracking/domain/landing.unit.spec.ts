import { describe, it, expect } from '@jest/globals';
import { landingTarget } from './landing.js';

const LANDING = 'https://shop.example/welcome?lang=en#hero';

describe('referral link target', () => {
  it('adds pf_ref to the landing URL, keeping its query and fragment', () => {
    expect(landingTarget(LANDING, null, 'clk_1')).toEqual({ ok: true, url: 'https://shop.example/welcome?lang=en&pf_ref=clk_1#hero' });
    expect(landingTarget('https://shop.example/?pf_ref=old', null, 'clk_2')).toEqual({ ok: true, url: 'https://shop.example/?pf_ref=clk_2' });
    expect(landingTarget(LANDING, null, null)).toEqual({ ok: true, url: LANDING });
  });

  it('takes `to` on the landing origin, as a path or an absolute URL', () => {
    expect(landingTarget(LANDING, '/pricing?plan=pro', 'clk_1')).toEqual({ ok: true, url: 'https://shop.example/pricing?plan=pro&pf_ref=clk_1' });
    expect(landingTarget(LANDING, 'https://shop.example/docs', 'clk_1')).toEqual({ ok: true, url: 'https://shop.example/docs?pf_ref=clk_1' });
    expect(landingTarget('https://shop.example:8443/', '/a', null)).toEqual({ ok: true, url: 'https://shop.example:8443/a' });
    // Encoded slashes stay in the path of the landing origin.
    expect(landingTarget(LANDING, '/%2F%2Fevil.example', null)).toEqual({ ok: true, url: 'https://shop.example/%2F%2Fevil.example' });
  });

  it.each([
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\/evil.example',
    '/\tevil',
    '/a\u0000',
    ' /a',
    'https://evil.example/',
    'https://shop.example.evil.example/',
    'http://shop.example/',
    'https://shop.example:444/',
    'javascript:alert(1)',
    'data:text/html,x',
    'pricing',
    '',
    `/${'a'.repeat(2048)}`,
  ])('refuses to=%j (no open redirect)', (to) => {
    expect(landingTarget(LANDING, to, 'clk_1')).toMatchObject({ ok: false });
  });
});
