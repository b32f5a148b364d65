import { invalidRequest, noSuch } from '../errors.js';
import { paginate } from '../list.js';
import { allowOnly, optString, optStringArray } from '../params.js';
import type { Ctx, Route } from '../router.js';
import type { StripeEvent } from '../types.js';

/** Newest first; events sharing a second keep reverse insertion order. */
function sorted(events: StripeEvent[]): StripeEvent[] {
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => b.event.created - a.event.created || b.index - a.index)
    .map(({ event }) => event);
}

function typeMatcher(ctx: Ctx): (e: StripeEvent) => boolean {
  const type = optString(ctx.params, 'type');
  const types = optStringArray(ctx.params, 'types');
  if (type && types) throw invalidRequest('You may only specify one of these parameters: type, types.', 'types');
  if (types && types.length > 20) throw invalidRequest('You may pass at most 20 types.', 'types');
  if (types) return (e) => types.includes(e.type);
  if (!type) return () => true;
  const pattern = new RegExp(
    `^${type
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return (e) => pattern.test(e.type);
}

export const eventRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/v1/events',
    handler: (ctx) => {
      allowOnly(ctx.params, ['created', 'delivery_success', 'ending_before', 'limit', 'starting_after', 'type', 'types']);
      const matches = typeMatcher(ctx);
      return paginate(sorted(ctx.state.eventsOf(ctx.account)), ctx.params, '/v1/events', 'event', (e) => matches(e as StripeEvent));
    },
  },
  {
    method: 'GET',
    pattern: '/v1/events/:id',
    handler: (ctx, id) => {
      const event = ctx.state.eventsOf(ctx.account).find((e) => e.id === id);
      if (!event) throw noSuch('event', id);
      return event;
    },
  },
];
