import { Controller, Get } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import { PaymentMethodResponse } from '../../payouts.response.js';
import { PaymentMethodQuery } from './payment-method.query.js';

@ApiTags('company')
@Controller('v1/company/payment-method')
export class PaymentMethodController {
  constructor(private readonly methods: PaymentMethodQuery) {}

  @Get()
  @Auth('admin')
  @ApiOkResponse({ type: PaymentMethodResponse })
  @ApiNotFoundResponse({ description: 'no card saved yet' })
  async get(@Caller() caller: AdminPrincipal): Promise<PaymentMethodResponse> {
    const card = await this.methods.find(caller.companyId);
    if (!card) throw notFound('payment method');
    return card;
  }
}
