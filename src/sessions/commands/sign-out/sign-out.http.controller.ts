import { Controller, Delete, HttpCode, Inject, Req, Res } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../../../libs/http/auth.js';
import { sessionTokenOf } from '../../../../libs/http/cookie-session.js';
import type { AppConfig } from '../../../../libs/config/config.js';
import { CONFIG } from '../../../core/tokens.js';
import { SessionStore } from '../../session-store.js';
import { clearSessionCookie, refuseForeignOrigin } from '../../session-cookie.js';

@ApiTags('sessions')
@Controller('v1/sessions/current')
export class SignOutController {
  constructor(
    private readonly store: SessionStore,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  /** Public, so an expired session can still clear its cookie; a second sign-out changes nothing. */
  @Delete()
  @Public()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'the session ends and its cookie is cleared (also when there was none)' })
  @ApiForbiddenResponse({ description: 'a browser request from another origin' })
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    refuseForeignOrigin(req, this.store);
    const token = sessionTokenOf(req.headers.cookie);
    if (token) await this.store.close(token);
    clearSessionCookie(res, this.config.publicUrl);
  }
}
