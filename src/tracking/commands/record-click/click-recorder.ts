import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { isbot } from 'isbot';
import { LRUCache } from 'lru-cache';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { handleCommand } from '../../../../libs/event-store/command-handling.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import {
  clickStream,
  COUNT_WINDOW_MS,
  decideClick,
  evolveVisitorClicks,
  noClicks,
  type ClickInput,
  type ClickSource,
  type VisitorClicks,
} from '../../domain/click.js';
import { REFERRAL_KEY } from '../../domain/tracking-input.js';
import type { Clock } from '../../../../libs/event-store/command-handling.js';
import { CLOCK } from '../../../core/tokens.js';
import { ClickLimiter } from './click-limiter.js';
import { TrackingDirectory, type ReferralLink } from './tracking-directory.js';

export interface Visitor {
  ip: string;
  userAgent: string;
}

export type ClickOutcome = { clickId: string; counted: boolean } | { clickId: null; counted: false; bot: true };

/**
 * Records clicks of referral links and of the script, once per visitor and partner within 24 h: the only
 * write is the click's event. A visitor's streams seen in this process are remembered (their last click and
 * count), so a repeated click is answered without the database, and a first click is one `no_stream` append;
 * a click that finds its stream written elsewhere reads it once and decides again.
 */
@Injectable()
export class ClickRecorder {
  private readonly recent = new LRUCache<string, VisitorClicks>({ max: 200_000, ttl: COUNT_WINDOW_MS });

  constructor(
    private readonly es: EventSourcing,
    private readonly directory: TrackingDirectory,
    private readonly limiter: ClickLimiter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The rate limit, then the partner of `referralKey` (of `companyId` when the caller named a company): 404 when unknown. */
  async resolve(referralKey: string, visitor: Visitor, companyId?: string): Promise<ReferralLink> {
    await this.limiter.click(visitor.ip);
    const link = REFERRAL_KEY.test(referralKey) ? await this.directory.link(referralKey) : null;
    if (!link || (companyId !== undefined && link.companyId !== companyId)) throw notFound('referral key', referralKey);
    return link;
  }

  async count(
    link: ReferralLink,
    visitorKey: string,
    visitor: Visitor,
    input: Omit<ClickInput, 'companyId' | 'partnerId'> & { source: ClickSource },
  ): Promise<ClickOutcome> {
    if (isbot(visitor.userAgent) || visitor.userAgent.trim() === '') return { clickId: null, counted: false, bot: true };
    const stream = clickStream(link.companyId, visitorKey);
    const data: ClickInput = { companyId: link.companyId, partnerId: link.partnerId, ...input };
    // Straight to the store (the primitive, not `EventSourcing.handle`), without waking every subscriber: the funnel takes
    // clicks at its next poll, and a wake per click at 1,000 clicks/s would have every projection read the log a thousand
    // times a second. The stream is assumed to be as this process left it (or new): one append, no read; written by
    // another process (or before a restart), the conflict has the click decided again on what is there.
    const { result } = await handleCommand(this.es.store, this.clock, randomUUID(), async (ctx) => {
      const known = this.recent.get(stream) ?? noClicks;
      const { state } = await ctx.assume(stream, { state: known, version: known.count }, noClicks, evolveVisitorClicks);
      if (state !== known) this.recent.set(stream, state);
      const decision = decideClick(state, visitorKey, data, ctx.now);
      if (decision.counted) ctx.appendRaw(stream, [decision.event], state.count === 0 ? 'no_stream' : state.count);
      return { decision, state };
    });
    const { decision, state } = result;
    if (!decision.counted) return { clickId: decision.clickId, counted: false };
    this.recent.set(stream, evolveVisitorClicks(state, decision.event));
    return { clickId: decision.clickId, counted: true };
  }
}
