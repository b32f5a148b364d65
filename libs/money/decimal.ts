/** An exact non-negative decimal: units / 10^scale. */
export type Decimal = { units: bigint; scale: number };

const DECIMAL_PATTERN = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i;
// Bounds BigInt sizes for hostile strings like "1e999999999"; numbers stay within e±324.
const MAX_EXPONENT = 400;

/**
 * Parses a non-negative decimal exactly from its shortest decimal string (`String(n)` for
 * numbers), so 0.1 means one tenth, not the nearest double. Returns undefined when invalid.
 */
export function parseDecimal(value: number | string): Decimal | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
  if (typeof value !== 'number' && typeof value !== 'string') return undefined;
  const match = DECIMAL_PATTERN.exec(String(value));
  if (!match) return undefined;
  const [, whole, fraction = '', exponentText = '0'] = match;
  const exponent = Number(exponentText);
  if (Math.abs(exponent) > MAX_EXPONENT) return undefined;
  const scale = fraction.length - exponent;
  const units = BigInt(whole + fraction);
  return scale >= 0 ? { units, scale } : { units: units * 10n ** BigInt(-scale), scale: 0 };
}

/** Canonical plain form: no exponent, no trailing fractional zeros ("0.0000001", "151.37"). */
export function formatDecimal({ units, scale }: Decimal): string {
  const digits = units.toString().padStart(scale + 1, '0');
  if (scale === 0) return digits;
  const fraction = digits.slice(-scale).replace(/0+$/, '');
  const whole = digits.slice(0, -scale);
  return fraction ? `${whole}.${fraction}` : whole;
}
