import { Global, Module } from '@nestjs/common';
import { COOKIE_SESSIONS } from '../../libs/http/cookie-session.js';
import { CompaniesModule } from '../companies/index.js';
import { OutboundMailModule } from '../outbound/index.js';
import { SessionStore } from './session-store.js';
import { SessionPurgeCron } from './session-purge.cron.js';
import { SignInLimiter } from './sign-in-limiter.js';
import { SignInController } from './commands/sign-in/sign-in.http.controller.js';
import { SignInHandler } from './commands/sign-in/sign-in.handler.js';
import { SignOutController } from './commands/sign-out/sign-out.http.controller.js';
import { LoginLinkController } from './commands/login-link/login-link.http.controller.js';
import { CreateLoginLinkHandler } from './commands/login-link/login-link.handler.js';
import { CurrentSessionController } from './queries/current-session/current-session.http.controller.js';

/** Console sign-in: cookie sessions over API keys, partner login links. Global so the auth guard finds COOKIE_SESSIONS. */
@Global()
@Module({
  imports: [CompaniesModule, OutboundMailModule],
  controllers: [SignInController, SignOutController, CurrentSessionController, LoginLinkController],
  providers: [SessionStore, SignInLimiter, { provide: COOKIE_SESSIONS, useExisting: SessionStore }, SignInHandler, CreateLoginLinkHandler, SessionPurgeCron],
  exports: [COOKIE_SESSIONS],
})
export class SessionsModule {}
