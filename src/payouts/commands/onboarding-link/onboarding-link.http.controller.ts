import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Caller, type PartnerPrincipal } from '../../../../libs/http/auth.js';
import { OnboardingLinkResponse } from '../../payouts.response.js';
import { CreateOnboardingLink } from './onboarding-link.handler.js';
import { OnboardingLinkRequest } from './onboarding-link.request.dto.js';

@ApiTags('portal')
@Controller('v1/portal/stripe/onboarding-link')
export class OnboardingLinkController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Auth('partner')
  @ApiBody({ type: OnboardingLinkRequest, required: false })
  @ApiCreatedResponse({
    type: OnboardingLinkResponse,
    description: 'a fresh Account Link for the partner’s Express account (created on first use, then reused)',
  })
  @ApiConflictResponse({ description: 'the account exists in another country (`stripe_account_country_fixed`)' })
  create(@Caller() caller: PartnerPrincipal, @Body() body: OnboardingLinkRequest = {}): Promise<OnboardingLinkResponse> {
    return this.commands.execute(new CreateOnboardingLink(caller.companyId, caller.partnerId, body.country?.toUpperCase()));
  }
}
