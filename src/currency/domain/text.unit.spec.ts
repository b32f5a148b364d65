import { describe, it, expect } from '@jest/globals';
import { isWellFormed } from './text.js';

describe('isWellFormed', () => {
  it.each([
    ['plain', 'Jane Doe', true],
    ['a surrogate pair (emoji)', 'Jane 😀', true],
    ['a lone high surrogate', 'x\ud800y', false],
    ['a lone low surrogate', 'x\udc00', false],
    ['a high surrogate at the end', 'x\ud83d', false],
  ])('%s → %p', (_label, text, expected) => {
    expect(isWellFormed(text)).toBe(expected);
  });
});
