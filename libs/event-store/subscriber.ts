import type { Projection, Reactor } from './subscriptions.js';

/** What a runner runs under a name. */
export type Subscriber = { kind: 'projection'; p: Projection } | { kind: 'reactor'; r: Reactor };
export type SubscriberKind = Subscriber['kind'];
