import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { DomainError } from '../../../../libs/http/domain-error.js';
import { PageQuery } from '../../../../libs/http/pagination.js';
import { dayOf, daysBetween, INTERVALS, MAX_PERIODS, parseDay, periodStarts, type Interval } from '../../domain/periods.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class RangeQuery {
  @ApiPropertyOptional({ example: '2026-01-01', description: 'first day (UTC), inclusive; default 29 days before `to`' })
  @IsOptional()
  @IsString()
  @Matches(DAY, { message: 'from must be a day YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-01-31', description: 'last day (UTC), inclusive; default today' })
  @IsOptional()
  @IsString()
  @Matches(DAY, { message: 'to must be a day YYYY-MM-DD' })
  to?: string;
}

export class FunnelQueryParams extends RangeQuery {
  @ApiPropertyOptional({ enum: INTERVALS, default: 'day', description: 'UTC days, ISO weeks (from Monday) or calendar months, clipped to the range' })
  @IsOptional()
  @IsIn(INTERVALS)
  interval?: Interval;
}

export class LeaderboardQueryParams extends PageQuery {
  @ApiPropertyOptional({ example: '2026-01-01', description: 'first day (UTC), inclusive; default 29 days before `to`' })
  @IsOptional()
  @IsString()
  @Matches(DAY, { message: 'from must be a day YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-01-31', description: 'last day (UTC), inclusive; default today' })
  @IsOptional()
  @IsString()
  @Matches(DAY, { message: 'to must be a day YYYY-MM-DD' })
  to?: string;
}

const invalid = (field: string, message: string) => new DomainError(400, 'validation_failed', message, { errors: [{ field, message }] });

/** The validated range: real days, from ≤ to, at most `maxDays` days (and `MAX_PERIODS` periods of `interval`). */
export function rangeOf(q: { from?: string; to?: string }, now: Date, maxDays: number, interval?: Interval): { from: Date; to: Date } {
  const to = q.to === undefined ? parseDay(dayOf(now))! : parseDay(q.to);
  if (!to) throw invalid('to', `to ${q.to} is not a calendar day`);
  const from = q.from === undefined ? new Date(to.getTime() - 29 * 86_400_000) : parseDay(q.from);
  if (!from) throw invalid('from', `from ${q.from} is not a calendar day`);
  if (from > to) throw invalid('from', 'from must not be after to');
  if (daysBetween(from, to) > maxDays) throw invalid('from', `the range may span at most ${maxDays} days`);
  if (interval && periodStarts(from, to, interval).length > MAX_PERIODS)
    throw invalid('interval', `at most ${MAX_PERIODS} periods: use a shorter range or a longer interval`);
  return { from, to };
}
