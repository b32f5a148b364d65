import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiFoundResponse,
  ApiNotFoundResponse,
  ApiQuery,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../../../libs/http/auth.js';
import { RateLimited } from './click-limiter.js';
import { REDIRECT_HEADERS, ReferralRedirect } from './referral-redirect.js';

/**
 * The Nest route of referral links: it documents them and serves what the lean route (referral-redirect.lean-route.ts)
 * leaves to the framework (HEAD, encoded paths); both answer alike.
 */
@ApiTags('tracking')
@Controller('r')
export class ReferralRedirectController {
  constructor(private readonly redirect: ReferralRedirect) {}

  @Get(':referralKey')
  @Public()
  @ApiQuery({ name: 'to', required: false, description: 'a path (or URL) on the landing URL’s origin to land on instead of the landing URL' })
  @ApiFoundResponse({
    description: 'click recorded (once per visitor and partner in 24 h; bots not counted): Location is the landing URL with pf_ref=<clickId>',
  })
  @ApiNotFoundResponse({ description: 'unknown referral key' })
  @ApiBadRequestResponse({ description: '`to` leaves the landing URL’s origin or is malformed: nothing recorded' })
  @ApiConflictResponse({ description: 'the company has no landing URL' })
  @ApiTooManyRequestsResponse({ description: 'too many clicks from this address (Retry-After)' })
  async follow(@Param('referralKey') referralKey: string, @Query('to') to: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const location = await this.redirect.follow(referralKey, typeof to === 'string' ? to : to === undefined ? null : '', {
        ip: req.ip ?? '',
        userAgent: req.headers['user-agent'] ?? '',
      });
      res
        .status(302)
        .set({ ...REDIRECT_HEADERS, Location: location })
        .end();
    } catch (e) {
      if (e instanceof RateLimited) res.setHeader('Retry-After', String(e.retryAfter));
      throw e;
    }
  }
}
