import { describe, it, expect } from '@jest/globals';
import { editDistance, rankCandidates } from './diagnosis.js';

const lead = (leadId: string, email: string) => ({ leadId, email, partnerId: 'pa_1' });

describe('diagnosis candidates', () => {
  it('the seed case: john@ is a candidate for billing@techstartup.com by domain', () => {
    expect(rankCandidates('billing@techstartup.com', [lead('ld_john', 'john@techstartup.com'), lead('ld_x', 'x@other.com')])).toEqual([
      { leadId: 'ld_john', email: 'john@techstartup.com', partnerId: 'pa_1', why: 'same email domain techstartup.com' },
    ]);
  });

  it('ranks typos before the same person elsewhere before colleagues; public domains alone are no signal', () => {
    const ranked = rankCandidates('john@techstartup.com', [
      lead('ld_colleague', 'mary@techstartup.com'),
      lead('ld_elsewhere', 'john@gmail.com'),
      lead('ld_typo', 'jonh@techstartup.com'),
      lead('ld_gmail', 'someone@gmail.com'),
      lead('ld_case', 'JOHN@techstartup.com'),
    ]);
    expect(ranked.map((c) => [c.leadId, c.why])).toEqual([
      ['ld_case', 'same email address'],
      ['ld_typo', 'email differs by 2 characters'],
      ['ld_elsewhere', 'same address at another domain (gmail.com)'],
      ['ld_colleague', 'same email domain techstartup.com'],
    ]);
    expect(rankCandidates('a@gmail.com', [lead('ld_gmail', 'someone@gmail.com')])).toEqual([]);
  });

  it('edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});
