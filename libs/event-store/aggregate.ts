import type { Event, RecordedEvent } from './event-store.port.js';

/** `T` lists every type of `E`: else the missing ones, by name, as a type error. */
export type Complete<E extends Event, T extends readonly string[]> = [Exclude<E['type'], T[number]>] extends [never]
  ? T
  : { missing: Exclude<E['type'], T[number]> };

/**
 * The event types of a union, as a list the runtime can use (a stream's declaration, a projection's `types`), checked
 * both ways by the compiler: a name not in `E` is refused, and so is a list that leaves one of `E`'s out.
 */
export const eventTypes =
  <E extends Event>() =>
  <const T extends readonly E['type'][]>(...types: T & Complete<E, T>): readonly E['type'][] =>
    types;

/** Whether an event is one of `types`, as the type `E` (a stored event: `RecordedEvent<E>`, with its envelope). */
export function isOneOf<E extends Event>(types: Iterable<E['type']>): <X extends Event>(event: X) => event is X & E {
  const known: ReadonlySet<string> = new Set(types);
  return <X extends Event>(event: X): event is X & E => known.has(event.type);
}

/**
 * `isOneOf` over every type of `E`, listed once and checked both ways as `eventTypes` does: the guard a fold or a reactor
 * narrows a stored event with before its `switch`.
 */
export const isEventOf =
  <E extends Event>() =>
  <const T extends readonly E['type'][]>(...types: T & Complete<E, T>) =>
    isOneOf<E>(types);

/**
 * A kind of stream and the state a decision reads from it: its category (the stream name's prefix, `<category>-…`), the
 * events it holds, and `evolve`. One module owns each category and alone appends to it (docs/architecture.md).
 */
export interface Aggregate<S, E extends Event> {
  readonly category: string;
  readonly types: readonly E['type'][];
  readonly initial: S;
  evolve(state: S, event: E): S;
}

export function aggregate<S, E extends Event>(spec: Aggregate<S, E>): Aggregate<S, E> {
  return spec;
}

/** One stream of an aggregate. */
export interface StreamRef<S, E extends Event> {
  readonly streamId: string;
  readonly aggregate: Aggregate<S, E>;
}

export const streamOf = <S, E extends Event>(aggregate: Aggregate<S, E>, streamId: string): StreamRef<S, E> => {
  if (!streamId.startsWith(`${aggregate.category}-`)) throw new Error(`stream ${streamId} is not of category ${aggregate.category}`);
  return { streamId, aggregate };
};

/** The state of stored events (of a stream of this aggregate): others are passed over, as `evolve`'s default would. */
export function foldEvents<S, E extends Event>(aggregate: Aggregate<S, E>, events: readonly RecordedEvent[], initial: S = aggregate.initial): S {
  const known = isOneOf<E>(aggregate.types);
  let state = initial;
  for (const event of events) if (known(event)) state = aggregate.evolve(state, event);
  return state;
}

/** A module's streams: per category (the stream name's prefix), the event types appended to it. */
export type OwnedStreams<E extends Event = Event> = Readonly<Record<string, readonly E['type'][]>>;
