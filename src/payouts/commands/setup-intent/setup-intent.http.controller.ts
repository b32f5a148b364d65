import { Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { SetupIntentResponse } from '../../payouts.response.js';
import { CreateCardSetupIntent } from './setup-intent.handler.js';

@ApiTags('company')
@Controller('v1/company/payment-method/setup-intent')
export class SetupIntentController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Auth('admin')
  @ApiCreatedResponse({
    type: SetupIntentResponse,
    description: 'confirm it with Stripe.js; the card shows on GET /v1/company/payment-method once Stripe reports success',
  })
  create(@Caller() caller: AdminPrincipal): Promise<SetupIntentResponse> {
    return this.commands.execute(new CreateCardSetupIntent(caller.companyId));
  }
}
