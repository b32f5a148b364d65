import { describe, it, expect } from '@jest/globals';
import { isOwnOrigin, sessionTokenOf } from './cookie-session.js';

describe('cookie sessions', () => {
  const token = 'A'.repeat(43);

  it('finds the session token among other cookies, and only a well-formed one', () => {
    expect(sessionTokenOf(`theme=dark; pf_session=${token}; other=1`)).toBe(token);
    expect(sessionTokenOf(`pf_session=${token}`)).toBe(token);
    expect(sessionTokenOf(undefined)).toBeUndefined();
    expect(sessionTokenOf('pf_session=short')).toBeUndefined();
    expect(sessionTokenOf(`pf_session=${'A'.repeat(40)}%3B%00`)).toBeUndefined();
    expect(sessionTokenOf(`xpf_session=${token}`)).toBeUndefined();
  });

  it.each([
    ['PUBLIC_URL’s origin', 'https://partners.example', undefined, true],
    ['PUBLIC_URL’s origin, whatever the Host', 'https://partners.example', 'internal:3000', true],
    ['the origin of the Host the request went to', 'http://127.0.0.1:3000', '127.0.0.1:3000', true],
    ['another site', 'https://evil.example', 'partners.example', false],
    ['another port', 'https://partners.example:444', 'partners.example', false],
    ['a Host that differs by port', 'http://127.0.0.1:3001', '127.0.0.1:3000', false],
    ['a null origin', 'null', 'partners.example', false],
    ['no origin', undefined, 'partners.example', false],
    ['not a URL', 'partners.example', 'partners.example', false],
    ['another scheme', 'ftp://partners.example', 'partners.example', false],
  ])('%s → %s', (_label, origin, host, expected) => {
    expect(isOwnOrigin(origin, host, 'https://partners.example/')).toBe(expected);
  });
});
