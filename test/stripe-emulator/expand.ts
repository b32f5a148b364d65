import { invalidRequest } from './errors.js';
import type { EmulatorState } from './state.js';
import type { Obj, ObjectKind } from './types.js';

const KIND_BY_PREFIX: Record<string, ObjectKind> = {
  cus: 'customers',
  pi: 'payment_intents',
  ch: 'charges',
  pm: 'payment_methods',
  seti: 'setup_intents',
  acct: 'accounts',
  in: 'invoices',
  promo: 'promotion_codes',
  di: 'discounts',
};

/** Applies `expand[]` paths such as `latest_charge`, `customer` or `data.payment_method`. */
export function expandObject(state: EmulatorState, body: Obj, paths: unknown): Obj {
  if (!Array.isArray(paths) || paths.length === 0) return body;
  const out = structuredClone(body);
  for (const path of paths) expandPath(state, out, String(path).split('.'), String(path));
  return out;
}

function expandPath(state: EmulatorState, node: Obj, segments: string[], full: string): void {
  const [head, ...rest] = segments;
  if (node.object === 'list' && head === 'data') {
    for (const item of node.data as Obj[]) expandPath(state, item, rest, full);
    return;
  }
  if (!(head in node)) throw invalidRequest(`This property cannot be expanded (${full}).`, 'expand');
  let value = node[head];
  if (Array.isArray(value)) {
    // A list of ids (`discounts`) or of objects holding ids (`total_discount_amounts.discount`).
    value.forEach((item, i) => {
      if (typeof item === 'string') value[i] = expandId(state, item, full);
      else if (rest.length && item && typeof item === 'object') expandPath(state, item as Obj, rest, full);
    });
    return;
  }
  if (typeof value === 'string') {
    const kind = KIND_BY_PREFIX[value.split('_')[0]];
    const target = kind && state.table(kind).get(value);
    if (!target) throw invalidRequest(`This property cannot be expanded (${full}).`, 'expand');
    value = node[head] = structuredClone(target);
  }
  if (rest.length && value && typeof value === 'object') expandPath(state, value as Obj, rest, full);
}

function expandId(state: EmulatorState, id: string, full: string): Obj {
  const kind = KIND_BY_PREFIX[id.split('_')[0]];
  const target = kind && state.table(kind).get(id);
  if (!target) throw invalidRequest(`This property cannot be expanded (${full}).`, 'expand');
  return structuredClone(target);
}
