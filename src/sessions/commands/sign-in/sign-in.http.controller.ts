import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../../../libs/http/auth.js';
import { DomainError } from '../../../../libs/http/domain-error.js';
import type { AppConfig } from '../../../../libs/config/config.js';
import { CONFIG } from '../../../core/tokens.js';
import { SessionStore } from '../../session-store.js';
import { refuseForeignOrigin, setSessionCookie } from '../../session-cookie.js';
import { SessionResponse } from '../../session.response.js';
import { SignInRequest } from './sign-in.request.dto.js';
import { SignIn, type SignedIn } from './sign-in.handler.js';
import { SignInLimiter } from '../../sign-in-limiter.js';

const exactlyOne = (field: string, message: string) => new DomainError(400, 'validation_failed', message, { errors: [{ field, message }] });

@ApiTags('sessions')
@Controller('v1/sessions')
export class SignInController {
  constructor(
    private readonly commands: CommandBus,
    private readonly store: SessionStore,
    private readonly limiter: SignInLimiter,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @Public()
  @HttpCode(201)
  @ApiCreatedResponse({ type: SessionResponse, description: 'sets the HttpOnly, SameSite=Strict session cookie the console uses' })
  @ApiBadRequestResponse({ description: 'neither or both of apiKey and loginToken' })
  @ApiUnauthorizedResponse({ description: 'unknown API key, or a login link that expired, was used or does not exist' })
  @ApiForbiddenResponse({ description: 'the operator key (API only), or a browser request from another origin' })
  @ApiTooManyRequestsResponse({ description: 'too many failed sign-ins from this address (AUTH_FAILURES_PER_MINUTE); Retry-After says when to try again' })
  async signIn(@Body() body: SignInRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SessionResponse> {
    refuseForeignOrigin(req, this.store);
    if (body.apiKey !== undefined && body.loginToken !== undefined) throw exactlyOne('loginToken', 'Send apiKey or loginToken, not both');
    const credentials = body.apiKey !== undefined ? { apiKey: body.apiKey } : body.loginToken !== undefined ? { loginToken: body.loginToken } : undefined;
    if (!credentials) throw exactlyOne('apiKey', 'apiKey (or a loginToken) is required');
    const now = new Date();
    const signedIn: SignedIn = await this.limiter.guard(req.ip ?? 'unknown', () => this.commands.execute(new SignIn(credentials, now)));
    setSessionCookie(res, this.config.publicUrl, signedIn.token, signedIn.expiresAt, now);
    res.setHeader('Cache-Control', 'no-store');
    return signedIn.session;
  }
}
