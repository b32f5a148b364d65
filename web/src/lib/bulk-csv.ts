import type { BulkLinkItem } from '@partnerflow/client';

export type ParsedRow = { line: number; item: BulkLinkItem } | { line: number; error: string; text: string };

/** `email-or-leadId,customerId` per line; a header line and blank lines are skipped. */
export function parseBulkCsv(text: string): ParsedRow[] {
  const rows: ParsedRow[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || (i === 0 && /customer/i.test(line) && !/cus_/.test(line))) return;
    const [first = '', second = '', ...rest] = line.split(/[,;\t]/).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    if (!first || !second || rest.some((c) => c))
      return void rows.push({ line: i + 1, error: 'expected two columns: email or lead id, then customer id', text: line });
    rows.push({ line: i + 1, item: first.includes('@') ? { email: first, customerId: second } : { leadId: first, customerId: second } });
  });
  return rows;
}
