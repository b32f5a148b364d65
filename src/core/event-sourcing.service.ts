import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AppendResult, Event, EventStore, ExpectedVersion, NewEvent, RecordedEvent, StreamAppend } from '../../libs/event-store/event-store.port.js';
import { foldEvents, type StreamRef } from '../../libs/event-store/aggregate.js';
import { handleCommand, type Clock, type CommandContext, type Evolve, type Handled } from '../../libs/event-store/command-handling.js';
import type { SubscriptionRunner } from '../../libs/event-store/subscription-runner.js';
import { CLOCK, EVENT_STORE, RUNNER } from './tokens.js';

export type Decision<R> = { events: NewEvent[]; also?: StreamAppend[]; result?: R };

/** The write side's one door to the event store: commands through `handle`, reads of a module's own streams through `read`. */
@Injectable()
export class EventSourcing {
  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(RUNNER) private readonly runner: SubscriptionRunner,
    @Inject(CLOCK) readonly clock: Clock,
  ) {}

  /** Load → decide → append (several streams, in order), taken again on a version conflict: see `handleCommand`. */
  async handle<R>(commandId: string, decide: (ctx: CommandContext) => R | Promise<R>, beforeRetry?: () => Promise<void>): Promise<Handled<R>> {
    const handled = await handleCommand(this.store, this.clock, commandId, decide, beforeRetry);
    if (handled.appended > 0) this.runner.nudge();
    return handled;
  }

  /**
   * `handle` for one stream folded by a plain `evolve`: `decide` sees its state and version and may add appends to other
   * streams (`also`, claims: a conflict there is thrown, not retried).
   */
  async execute<S, R = void>(
    streamId: string,
    initial: S,
    evolve: Evolve<S>,
    decide: (state: S, version: number) => Decision<R> | Promise<Decision<R>>,
  ): Promise<{ result: R | undefined; checkpoint?: string; appended: number }> {
    const handled = await this.handle(randomUUID(), async (ctx) => {
      const { state, version } = await ctx.loadStream(streamId, initial, evolve);
      const decision = await decide(state, version);
      ctx.appendRaw(streamId, decision.events, version);
      for (const a of decision.also ?? []) ctx.appendRaw(a.streamId, a.events, a.expectedVersion);
      return { result: decision.result, main: decision.events.length };
    });
    return { result: handled.result.result, checkpoint: handled.checkpoint, appended: handled.appended > 0 ? handled.result.main : 0 };
  }

  /** Several blind appends in order: atomic only where the store has `atomicAppendMany` (see handleCommand). */
  async appendMany(appends: StreamAppend[]): Promise<AppendResult[]> {
    const results = await this.store.appendMany(appends.filter((a) => a.events.length > 0));
    this.runner.nudge();
    return results;
  }

  /** A stream's state and version now, folded by a plain `evolve`. */
  async load<S>(streamId: string, initial: S, evolve: Evolve<S>): Promise<{ state: S; version: number }> {
    const events = await this.store.readStream(streamId);
    return { state: events.reduce(evolve, initial), version: events.length ? events[events.length - 1]!.version : 0 };
  }

  /** One blind append (a claim, a new stream): a version conflict is thrown to the caller. */
  async append(streamId: string, events: NewEvent[], expectedVersion: ExpectedVersion): Promise<AppendResult> {
    const result = await this.store.append(streamId, events, expectedVersion);
    this.runner.nudge();
    return result;
  }

  /** A stream's state and version now, for a decision taken outside `handle` (a Stripe call first) or a query of its own streams. */
  async read<S, E extends Event>(ref: StreamRef<S, E>): Promise<{ state: S; version: number; events: RecordedEvent[] }> {
    const events = await this.store.readStream(ref.streamId);
    return { state: foldEvents(ref.aggregate, events), version: events.length ? events[events.length - 1]!.version : 0, events };
  }

  /** Read-your-writes: wait until read models include `checkpoint`. */
  async settle(checkpoint: string | undefined, timeoutMs = 10_000): Promise<void> {
    if (checkpoint) await this.runner.waitFor(checkpoint, timeoutMs);
  }
}
