/** One line of the results table. `value: null` means the figure could not be measured (see `note`). */
export interface Figure {
  figure: string;
  value: number | null;
  unit: string;
  baseline?: { label: string; value: number; unit?: string };
  /** value ÷ baseline, or baseline ÷ value for "lower is better" figures: above 1 is always better. */
  ratio?: number;
  goal?: string;
  met?: boolean;
  note?: string;
}

export const unavailable = (figure: string, note: string, goal?: string): Figure => ({ figure, value: null, unit: '', note, goal });

export function higherIsBetter(f: Omit<Figure, 'ratio'>): Figure {
  return { ...f, ratio: f.value !== null && f.baseline ? f.value / f.baseline.value : undefined };
}

export function lowerIsBetter(f: Omit<Figure, 'ratio'>): Figure {
  return { ...f, ratio: f.value !== null && f.baseline && f.value > 0 ? f.baseline.value / f.value : undefined };
}

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const digits = Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2;
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

const cell = (s: string) => s.replaceAll('|', '\\|');

export function markdownTable(figures: Figure[]): string {
  const lines = ['| figure | value | baseline | ratio | goal | met? |', '| --- | ---: | --- | ---: | --- | :---: |'];
  for (const f of figures) {
    const value = f.value === null ? (f.note ?? 'n/a') : `${formatNumber(f.value)} ${f.unit}`;
    const baseline = f.baseline ? `${formatNumber(f.baseline.value)} ${f.baseline.unit ?? f.unit} (${f.baseline.label})` : '';
    const ratio = f.ratio === undefined ? '' : `${f.ratio.toFixed(2)}×`;
    const met = f.met === undefined ? (f.goal && f.value === null ? 'n/a' : '') : f.met ? 'yes' : '**no**';
    const note = f.value !== null && f.note ? ` (${f.note})` : '';
    lines.push(`| ${cell(f.figure + note)} | ${cell(value)} | ${cell(baseline)} | ${ratio} | ${cell(f.goal ?? '')} | ${met} |`);
  }
  return lines.join('\n');
}
