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
  if (typeof value === 'string') {
    const kind = KIND_BY_PREFIX[value.split('_')[0]];
    const target = kind && state.table(kind).get(value);
    if (!target) throw invalidRequest(`This property cannot be expanded (${full}).`, 'expand');
    value = node[head] = structuredClone(target);
  }
  if (rest.length && value && typeof value === 'object') expandPath(state, value as Obj, rest, full);
}
