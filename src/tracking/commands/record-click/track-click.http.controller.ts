import { Body, Controller, HttpCode, Options, Post, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../../../libs/http/auth.js';
import { httpUrl } from '../../../../libs/http/http-url.js';
import { TrackingCors } from '../tracking-cors.js';
import { RateLimited } from './click-limiter.js';
import { ClickRecorder } from './click-recorder.js';
import { TrackClickRequest } from './track-click.request.dto.js';
import { VisitorKeys } from './visitor-keys.js';

class TrackClickResponse {
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'clk_5f0c…_1',
    description: 'keep it (cookie pf_ref) and pass it as Checkout’s client_reference_id; null for a bot',
  })
  clickId!: string | null;
  @ApiProperty({ description: 'false when the same visitor clicked this partner in the last 24 h (clickId is that click) or is a bot' }) counted!: boolean;
  @ApiProperty({ example: 60 }) cookieDays!: number;
  @ApiProperty({ enum: ['last_click', 'first_click'] }) model!: string;
}

export class TrackingConfigResponse {
  @ApiProperty({ example: 60 }) cookieDays!: number;
  @ApiProperty({ enum: ['last_click', 'first_click'] }) model!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) landingUrl!: string | null;
}

/** The script's click (a page opened with ?via=<referralKey>), counted like a referral link's. */
@ApiTags('tracking')
@Controller('v1/track')
export class TrackClickController {
  constructor(
    private readonly recorder: ClickRecorder,
    private readonly cors: TrackingCors,
    private readonly keys: VisitorKeys,
  ) {}

  @Options('clicks')
  @Public()
  @ApiForbiddenResponse({ description: 'preflight from an origin no company allows' })
  preflight(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.cors.preflight(req, res, 'POST');
  }

  @Post('clicks')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: TrackClickResponse })
  @ApiBadRequestResponse({ description: 'malformed key, url or referrer: nothing stored' })
  @ApiUnauthorizedResponse({ description: 'unknown publishable key' })
  @ApiForbiddenResponse({ description: 'Origin not in the company’s tracking.allowedOrigins' })
  @ApiNotFoundResponse({ description: 'no partner of this company has the referral key' })
  @ApiTooManyRequestsResponse({ description: 'too many clicks from this address (Retry-After)' })
  async track(@Body() body: TrackClickRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TrackClickResponse> {
    const site = await this.cors.site(body.publishableKey, req, res);
    const visitor = { ip: req.ip ?? '', userAgent: req.headers['user-agent'] ?? '' };
    try {
      const link = await this.recorder.resolve(body.referralKey, visitor, site.companyId);
      const click = await this.recorder.count(link, this.keys.of(link.companyId, link.partnerId, visitor.ip, visitor.userAgent), visitor, {
        referralKey: body.referralKey,
        source: 'script',
        url: body.url ? httpUrl(body.url)!.href : null,
        referrer: body.referrer ? httpUrl(body.referrer)!.href : null,
      });
      return { clickId: click.clickId, counted: click.counted, cookieDays: site.tracking.cookieDays, model: site.tracking.model };
    } catch (e) {
      if (e instanceof RateLimited) res.setHeader('Retry-After', String(e.retryAfter));
      throw e;
    }
  }
}
