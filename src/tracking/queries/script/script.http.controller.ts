import { Controller, Get, Header, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { Public } from '../../../../libs/http/auth.js';
import { TrackingCors } from '../../commands/tracking-cors.js';
import { TrackingConfigResponse } from '../../commands/record-click/track-click.http.controller.js';
import { PARTNERFLOW_SCRIPT } from './partnerflow-script.js';

const SCRIPT_ETAG = `"${createHash('sha256').update(PARTNERFLOW_SCRIPT).digest('base64url').slice(0, 27)}"`;

@ApiTags('tracking')
@Controller()
export class TrackingScriptController {
  constructor(private readonly cors: TrackingCors) {}

  @Get('js/partnerflow.js')
  @Public()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  @Header('Cross-Origin-Resource-Policy', 'cross-origin')
  @ApiProduces('text/javascript')
  @ApiQuery({ name: 'key', required: false, description: 'the publishable key, when the tag has no data-key' })
  @ApiOkResponse({ description: 'the tracking script for the company’s site' })
  script(@Res({ passthrough: true }) res: Response): string {
    res.setHeader('ETag', SCRIPT_ETAG);
    return PARTNERFLOW_SCRIPT;
  }

  /** What the script needs to keep a click id from a referral link's redirect. */
  @Get('v1/track/config')
  @Public()
  @ApiQuery({ name: 'publishableKey', required: true })
  @ApiOkResponse({ type: TrackingConfigResponse })
  async config(
    @Query('publishableKey') publishableKey: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TrackingConfigResponse> {
    const site = await this.cors.site(publishableKey, req, res);
    return { cookieDays: site.tracking.cookieDays, model: site.tracking.model, landingUrl: site.tracking.landingUrl };
  }
}
