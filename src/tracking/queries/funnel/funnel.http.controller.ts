import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Caller, type AdminPrincipal, type PartnerPrincipal } from '../../../../libs/http/auth.js';
import { DomainError } from '../../../../libs/http/domain-error.js';
import { pageLimit } from '../../../../libs/http/pagination.js';
import { PartnersQuery } from '../../../partners/index.js';
import { MAX_RANGE_DAYS } from '../../domain/periods.js';
import type { Clock } from '../../../../libs/event-store/command-handling.js';
import { CLOCK } from '../../../core/tokens.js';
import { FunnelQuery } from './funnel.query.js';
import { FunnelQueryParams, LeaderboardQueryParams, rangeOf } from './funnel.request.dto.js';
import { FunnelResponse, LeaderboardResponse } from './funnel.response.js';

@ApiTags('tracking')
@Controller('v1')
export class FunnelController {
  constructor(
    private readonly funnels: FunnelQuery,
    private readonly partners: PartnersQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('partners/:id/funnel')
  @Auth('admin')
  @ApiOkResponse({ type: FunnelResponse })
  @ApiBadRequestResponse({ description: 'from/to not days YYYY-MM-DD, from after to, or more than 366 periods' })
  async partner(@Caller() caller: AdminPrincipal, @Param('id') id: string, @Query() q: FunnelQueryParams): Promise<FunnelResponse> {
    const range = rangeOf(q, this.clock.now(), MAX_RANGE_DAYS, q.interval ?? 'day');
    await this.partners.get(caller.companyId, id);
    return { data: await this.funnels.funnel(caller.companyId, id, range.from, range.to, q.interval ?? 'day') };
  }

  @Get('portal/funnel')
  @Auth('partner')
  @ApiOkResponse({ type: FunnelResponse })
  async portal(@Caller() caller: PartnerPrincipal, @Query() q: FunnelQueryParams): Promise<FunnelResponse> {
    const range = rangeOf(q, this.clock.now(), MAX_RANGE_DAYS, q.interval ?? 'day');
    return { data: await this.funnels.funnel(caller.companyId, caller.partnerId, range.from, range.to, q.interval ?? 'day') };
  }

  /** The leaderboard: partners with activity in the range, most customers first. */
  @Get('reports/partners')
  @Auth('admin')
  @ApiOkResponse({ type: LeaderboardResponse })
  async leaderboard(@Caller() caller: AdminPrincipal, @Query() q: LeaderboardQueryParams): Promise<LeaderboardResponse> {
    const range = rangeOf(q, this.clock.now(), MAX_RANGE_DAYS);
    if (q.cursor !== undefined && !/^[1-9]\d{0,8}$/.test(q.cursor))
      throw new DomainError(400, 'validation_failed', 'cursor must be a nextCursor of this list', { errors: [{ field: 'cursor', message: 'unknown cursor' }] });
    const offset = Number(q.cursor ?? 0);
    const limit = pageLimit(q);
    const rows = await this.funnels.leaderboard(caller.companyId, range.from, range.to, offset, limit + 1);
    const page = rows.slice(0, limit);
    const names = await this.partners.names(
      caller.companyId,
      page.map((r) => r.partnerId),
    );
    return { data: page.map((r) => ({ ...r, name: names.get(r.partnerId) ?? '' })), nextCursor: rows.length > limit ? String(offset + limit) : null };
  }
}
