import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadGatewayResponse, ApiConflictResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { invalid } from '../../../../libs/http/domain-error.js';
import { RECONCILE_WINDOW_SECONDS, ReconcileStripeEvents, type ReconcileResult } from './reconcile.handler.js';

class ReconcileRequest {
  @ApiPropertyOptional({ description: 'ISO 8601 date-time, within the last 30 days; default: 30 days ago', example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;
}

class ReconcileResponse {
  @ApiProperty({ description: 'events listed by Stripe' }) scanned!: number;
  @ApiProperty({ description: 'missed events now stored and processed' }) ingested!: number;
  @ApiProperty({ description: 'events already received' }) alreadyKnown!: number;
}

@ApiTags('company')
@Controller('v1/company/stripe/reconcile')
export class ReconcileController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(200)
  @Auth('admin')
  @ApiOkResponse({ type: ReconcileResponse })
  @ApiConflictResponse({ description: 'no Stripe API key stored' })
  @ApiBadGatewayResponse({ description: 'Stripe could not be reached' })
  async reconcile(@Caller() caller: AdminPrincipal, @Body() body: ReconcileRequest): Promise<ReconcileResponse> {
    let since: number | undefined;
    if (body.since) {
      since = Math.floor(Date.parse(body.since) / 1000);
      const now = Math.floor(Date.now() / 1000);
      if (!Number.isFinite(since) || since < now - RECONCILE_WINDOW_SECONDS - 3600 || since > now)
        throw invalid('since', 'since must be a past date-time within the last 30 days (Stripe keeps events 30 days)');
    }
    return this.commands.execute<ReconcileStripeEvents, ReconcileResult>(new ReconcileStripeEvents(caller.companyId, since));
  }
}
