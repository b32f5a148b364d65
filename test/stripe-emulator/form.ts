import type { Params } from './types.js';

/** Parses Stripe's bracket notation (`a[b][0][c]=x`, `expand[]=y`) into nested objects and arrays. */
export function parseForm(encoded: string): Params {
  const root: Params = {};
  for (const [rawKey, value] of new URLSearchParams(encoded)) {
    const match = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(rawKey);
    if (!match) {
      root[rawKey] = value;
      continue;
    }
    const segments = [match[1], ...[...match[2].matchAll(/\[([^\]]*)\]/g)].map((m) => m[1])];
    assign(root, segments, value);
  }
  const out: Params = {};
  for (const k of Object.keys(root)) out[k] = normaliseArrays(root[k], k);
  return out;
}

function assign(target: Params, segments: string[], value: string): void {
  let node = target;
  for (let i = 0; i < segments.length; i++) {
    let seg = segments[i];
    const last = i === segments.length - 1;
    if (seg === '') seg = appendIndex(node, last ? undefined : segments[i + 1]);
    if (last) {
      node[seg] = value;
      return;
    }
    if (node[seg] === null || typeof node[seg] !== 'object') node[seg] = {};
    node = node[seg];
  }
}

/** `a[]=x` appends; `a[][k]=x` starts a new element unless the current one lacks `k` (Rack semantics). */
function appendIndex(node: Params, nextKey: string | undefined): string {
  const size = Object.keys(node).length;
  if (nextKey === undefined || size === 0) return String(size);
  const current = node[String(size - 1)];
  return current && typeof current === 'object' && !(nextKey in current) ? String(size - 1) : String(size);
}

function normaliseArrays(node: unknown, key: string): unknown {
  if (node === null || typeof node !== 'object') return node;
  const record = node as Params;
  const keys = Object.keys(record);
  const out: Params = {};
  for (const k of keys) out[k] = normaliseArrays(record[k], k);
  const indexed = keys.length > 0 && keys.every((k) => /^\d+$/.test(k));
  if (!indexed || key === 'metadata') return out;
  return keys
    .map(Number)
    .sort((a, b) => a - b)
    .map((k) => out[String(k)]);
}

/** Stable JSON used to compare the parameters of two requests. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Params)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
