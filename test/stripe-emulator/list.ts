import { invalidRequest } from './errors.js';
import { optInt } from './params.js';
import type { Obj, Params } from './types.js';

export function matchesCreated(created: number, filter: unknown): boolean {
  if (filter === undefined || filter === '') return true;
  if (typeof filter === 'string') return created === Number(optInt({ created: filter }, 'created'));
  const range = filter as Params;
  const bound = (op: string) => optInt(range, op, `created[${op}]`);
  const [gt, gte, lt, lte] = ['gt', 'gte', 'lt', 'lte'].map(bound);
  return (
    (gt === undefined || created > gt) && (gte === undefined || created >= gte) && (lt === undefined || created < lt) && (lte === undefined || created <= lte)
  );
}

/**
 * Stripe cursor pagination over `items` (newest first). The cursor is located among all items;
 * `starting_after` returns the matching items after it, `ending_before` the `limit` matching items
 * immediately before it.
 */
export function paginate(items: Obj[], params: Params, url: string, label: string, where: (o: Obj) => boolean = () => true): Obj {
  const limit = optInt(params, 'limit') ?? 10;
  if (limit < 1 || limit > 100) throw invalidRequest('Invalid limit: must be an integer between 1 and 100.', 'limit', 'parameter_invalid_integer');
  const { starting_after: after, ending_before: before } = params;
  if (after && before) throw invalidRequest('You may only specify one of these parameters: starting_after, ending_before.', 'starting_after');
  const matches = (o: Obj) => where(o) && matchesCreated(o.created, params.created);
  const position = (id: unknown, param: string) => {
    const index = items.findIndex((o) => o.id === id);
    if (index < 0) throw invalidRequest(`No such ${label}: '${String(id)}'`, param, 'resource_missing');
    return index;
  };
  if (before) {
    const prior = items.slice(0, position(before, 'ending_before')).filter(matches);
    return { object: 'list', data: prior.slice(-limit), has_more: prior.length > limit, url };
  }
  const rest = items.slice(after ? position(after, 'starting_after') + 1 : 0).filter(matches);
  return { object: 'list', data: rest.slice(0, limit), has_more: rest.length > limit, url };
}
