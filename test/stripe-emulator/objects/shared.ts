import type { Obj } from '../types.js';

export const nullAddress = () => ({ city: null, country: null, line1: null, line2: null, postal_code: null, state: null });

/** Stripe's list object: `object`, `data`, `has_more`, `url` (no `total_count`). */
export function listOf(data: Obj[], url: string): Obj {
  return { object: 'list', data, has_more: false, url };
}
