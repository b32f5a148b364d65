import { Controller, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { SubscriptionRunner } from '../../../../libs/event-store/subscription-runner.js';
import { Auth } from '../../../../libs/http/auth.js';
import { conflict, notFound } from '../../../../libs/http/domain-error.js';
import { RUNNER } from '../../../core/tokens.js';
import { ParkedEventResponse } from '../../queries/parked-events/parked-event.response.js';
import { parkedEventResponse } from '../../queries/parked-events/parked-events.http.controller.js';

/**
 * Retry (after a fix) or skip a parked event. The subscriber's own loop does it, then processes the events
 * that waited behind it in order; the answer waits for that (200), or says it is still asked for (202, when
 * no process runs the subscribers right now).
 */
@ApiTags('admin')
@Controller('v1/admin/parked-events')
export class SettleParkedEventController {
  constructor(@Inject(RUNNER) private readonly runner: SubscriptionRunner) {}

  @Post(':id/retry')
  @HttpCode(200)
  @Auth('operator')
  @ApiOkResponse({ type: ParkedEventResponse, description: 'retried: resolved, or parked again with the new error' })
  @ApiAcceptedResponse({ type: ParkedEventResponse, description: 'asked for; the subscriber has not got to it yet' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'the event waits behind another parked event, or was already resolved or skipped' })
  retry(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<ParkedEventResponse> {
    return this.settle(id, 'retry', res);
  }

  @Post(':id/skip')
  @HttpCode(200)
  @Auth('operator')
  @ApiOkResponse({ type: ParkedEventResponse, description: 'skipped: never applied; the events behind it go on' })
  @ApiAcceptedResponse({ type: ParkedEventResponse, description: 'asked for; the subscriber has not got to it yet' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'the event waits behind another parked event, or was already resolved or skipped' })
  skip(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<ParkedEventResponse> {
    return this.settle(id, 'skip', res);
  }

  private async settle(id: string, action: 'retry' | 'skip', res: Response): Promise<ParkedEventResponse> {
    const { event, refused } = await this.runner.settleParked(id, action);
    if (!event) throw notFound('parked event', id);
    if (refused === 'settled') throw conflict('parked_event_settled', `Parked event ${id} is already ${event.status}`, { currentStatus: event.status });
    if (refused)
      throw conflict(
        'parked_event_waiting',
        `Parked event ${id} is ${event.status}: it waits behind an earlier parked event of ${event.key ?? event.streamId}; retry or skip that one`,
        { currentStatus: event.status },
      );
    if (event.status.endsWith('_requested')) res.status(202);
    return parkedEventResponse(this.runner, event);
  }
}
