import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { SubscriptionRunner } from '../../../../libs/event-store/subscription-runner.js';
import { parkedEvents, type ParkedEvent } from '../../../../libs/event-store/parked-events.js';
import { readSql } from '../../../../libs/database/sql.js';
import { Auth } from '../../../../libs/http/auth.js';
import { PageQuery, decodeCursor, page, pageLimit } from '../../../../libs/http/pagination.js';
import { ORM, RUNNER } from '../../../core/tokens.js';
import { ParkedEventListResponse, type ParkedEventResponse } from './parked-event.response.js';

const STATUSES = ['open', 'parked', 'waiting', 'retry_requested', 'skip_requested', 'resolved', 'skipped'] as const;

class ParkedEventsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'a projection or reactor name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  subscriber?: string;

  @ApiPropertyOptional({ enum: STATUSES, default: 'open', description: 'open: every event not resolved or skipped' })
  @IsOptional()
  @IsIn(STATUSES)
  status?: (typeof STATUSES)[number];
}

@ApiTags('admin')
@Controller('v1/admin/parked-events')
export class ParkedEventsController {
  constructor(
    @Inject(ORM) private readonly orm: MikroORM,
    @Inject(RUNNER) private readonly runner: SubscriptionRunner,
  ) {}

  @Get()
  @Auth('operator')
  @ApiOkResponse({ type: ParkedEventListResponse, description: 'events a projection or reactor could not process, newest first, with the error' })
  async list(@Query() q: ParkedEventsQuery): Promise<ParkedEventListResponse> {
    const limit = pageLimit(q);
    const before = q.cursor ? String(decodeCursor(q.cursor)) : undefined;
    const rows = await parkedEvents.list(readSql(this.orm), { subscriber: q.subscriber, status: q.status ?? 'open', before, limit: limit + 1 });
    return page(
      rows.map((r) => ({ ...r, position: r.id })),
      limit,
      ({ position: _, ...r }) => parkedEventResponse(this.runner, r),
    );
  }
}

export function parkedEventResponse(runner: SubscriptionRunner, e: ParkedEvent): ParkedEventResponse {
  return { ...e, kind: runner.projectionNames().includes(e.subscriber) ? 'projection' : 'reactor' };
}
