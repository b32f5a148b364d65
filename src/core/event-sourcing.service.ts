import { Inject, Injectable } from '@nestjs/common';
import { WrongExpectedVersion, type AppendResult, type EventStore, type NewEvent, type RecordedEvent, type StreamAppend, type ExpectedVersion } from '../../libs/event-store/event-store.port.js';
import type { SubscriptionRunner } from '../../libs/event-store/subscription-runner.js';
import { EVENT_STORE, RUNNER } from './tokens.js';

export type Evolve<S> = (state: S, event: RecordedEvent) => S;

/** Load → decide → append, retried when another writer got there first. */
@Injectable()
export class EventSourcing {
  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(RUNNER) private readonly runner: SubscriptionRunner,
  ) {}

  async load<S>(streamId: string, initial: S, evolve: Evolve<S>): Promise<{ state: S; version: number }> {
    const events = await this.store.readStream(streamId);
    return { state: events.reduce(evolve, initial), version: events.length ? events[events.length - 1]!.version : 0 };
  }

  async append(streamId: string, events: NewEvent[], expectedVersion: ExpectedVersion): Promise<AppendResult> {
    const result = await this.store.append(streamId, events, expectedVersion);
    this.runner.nudge();
    return result;
  }

  async appendMany(appends: StreamAppend[]): Promise<AppendResult[]> {
    const results = await this.store.appendMany(appends.filter((a) => a.events.length > 0));
    this.runner.nudge();
    return results;
  }

  /**
   * Runs `decide` on the stream's current state and appends what it returns.
   * `decide` may return extra appends for guard streams, committed atomically with the main one.
   */
  async execute<S, R = void>(
    streamId: string,
    initial: S,
    evolve: Evolve<S>,
    decide: (state: S, version: number) => { events: NewEvent[]; also?: StreamAppend[]; result?: R } | Promise<{ events: NewEvent[]; also?: StreamAppend[]; result?: R }>,
    retries = 3,
  ): Promise<{ result: R | undefined; checkpoint?: string; appended: number }> {
    for (let attempt = 0; ; attempt++) {
      const { state, version } = await this.load(streamId, initial, evolve);
      const decision = await decide(state, version);
      if (decision.events.length === 0 && !decision.also?.length) return { result: decision.result, appended: 0 };
      try {
        const results = await this.appendMany([{ streamId, events: decision.events, expectedVersion: version }, ...(decision.also ?? [])]);
        return { result: decision.result, checkpoint: results[results.length - 1]?.checkpoint, appended: decision.events.length };
      } catch (e) {
        if (!(e instanceof WrongExpectedVersion) || e.streamId !== streamId || attempt >= retries) throw e;
      }
    }
  }

  /** Read-your-writes: wait until read models include `checkpoint`. */
  async settle(checkpoint: string | undefined, timeoutMs = 10_000): Promise<void> {
    if (checkpoint) await this.runner.waitFor(checkpoint, timeoutMs);
  }
}
