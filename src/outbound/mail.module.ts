import { Module } from '@nestjs/common';
import { CompaniesModule } from '../companies/index.js';
import { MailSender } from './jobs/mail-sender/mail-sender.job.js';
import { LoginLinkMailer } from './commands/send-login-link/login-link-mailer.js';

/**
 * The mail sender and the login-link mailer, on their own so a module that sends login links (the console's
 * partners route) can import them without importing what the outbound module itself depends on.
 */
@Module({
  imports: [CompaniesModule],
  providers: [MailSender, LoginLinkMailer],
  exports: [MailSender, LoginLinkMailer],
})
export class OutboundMailModule {}
