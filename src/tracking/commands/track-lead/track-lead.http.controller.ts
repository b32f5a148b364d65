import { Body, Controller, HttpCode, Options, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProperty,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../../../libs/http/auth.js';
import { LeadsQuery, RecordClickLead, type ClickLead } from '../../../attribution/index.js';
import { ClickLimiter, RateLimited } from '../record-click/click-limiter.js';
import { TrackingCors } from '../tracking-cors.js';
import { TrackLeadRequest } from './track-lead.request.dto.js';

class TrackedLeadResponse {
  @ApiProperty() id!: string;
  @ApiProperty() partnerId!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ description: 'false when the click (or its partner’s lead with this email) already had a lead' }) created!: boolean;
}

/** The script's signup: the lead of the click's partner, created once (the attribution module owns leads). */
@ApiTags('tracking')
@Controller('v1/track')
export class TrackLeadController {
  constructor(
    private readonly commands: CommandBus,
    private readonly leads: LeadsQuery,
    private readonly cors: TrackingCors,
    private readonly limiter: ClickLimiter,
  ) {}

  @Options('leads')
  @Public()
  preflight(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.cors.preflight(req, res, 'POST');
  }

  @Post('leads')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: TrackedLeadResponse })
  @ApiBadRequestResponse({ description: 'malformed key, click id or email: nothing stored' })
  @ApiUnauthorizedResponse({ description: 'unknown publishable key' })
  @ApiForbiddenResponse({ description: 'Origin not in the company’s tracking.allowedOrigins' })
  @ApiNotFoundResponse({ description: 'no such click of this company' })
  @ApiTooManyRequestsResponse({ description: 'too many signups from this address (Retry-After)' })
  async track(@Body() body: TrackLeadRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TrackedLeadResponse> {
    const site = await this.cors.site(body.publishableKey, req, res);
    try {
      await this.limiter.lead(req.ip ?? '');
    } catch (e) {
      if (e instanceof RateLimited) res.setHeader('Retry-After', String(e.retryAfter));
      throw e;
    }
    const lead = (await this.commands.execute<RecordClickLead, ClickLead | null>(
      new RecordClickLead(site.companyId, body.clickId, body.email, body.name ?? null),
    ))!;
    const view = await this.leads.get(site.companyId, lead.leadId);
    return { id: view.id, partnerId: view.partnerId, email: view.email, name: view.name, created: lead.created };
  }
}
