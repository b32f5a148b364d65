import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Length, Matches } from 'class-validator';
import { Auth } from '../../../../libs/http/auth.js';
import { invalid } from '../../../../libs/http/domain-error.js';
import { PublishRatesRequest } from './publish-rates.request.dto.js';
import { PublishFxRates } from './publish-rates.handler.js';
import { FxRateResponse, FxRatesResponse } from '../../fx-rate.response.js';
import { FxRatesQuery } from '../../queries/fx-rates/fx-rates.query.js';
import { instant } from '../../domain/fx-rates.js';
import { normalizeCurrencyField } from '../../../../libs/http/currency-field.js';

class LookupRateQuery {
  @ApiProperty({ example: 'usd' }) @Length(3, 3) @Matches(/^[a-zA-Z]{3}$/) from!: string;
  @ApiProperty({ example: 'eur' }) @Length(3, 3) @Matches(/^[a-zA-Z]{3}$/) to!: string;
  @ApiProperty({ example: '2025-03-14', description: 'conversion date; the latest rate at or before it is used' }) @Length(10, 40) at!: string;
}

@ApiTags('fx')
@Controller('v1/fx-rates')
export class FxRatesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly rates: FxRatesQuery,
  ) {}

  @Put()
  @Auth('operator')
  @ApiOkResponse({ type: FxRatesResponse })
  publish(@Body() body: PublishRatesRequest): Promise<FxRatesResponse> {
    return this.commands.execute(new PublishFxRates(body));
  }

  @Get()
  @Auth('operator', 'admin')
  @ApiOkResponse({ type: FxRateResponse, description: 'the rate a conversion at `at` would use; 422 fx_rate_missing when none' })
  lookup(@Query() q: LookupRateQuery): Promise<FxRateResponse> {
    const [from, to] = [normalizeCurrencyField(q.from, 'from'), normalizeCurrencyField(q.to, 'to')];
    if (from === to) throw invalid('to', 'from and to are the same currency: no rate is needed');
    return this.rates.lookup(from, to, instant(q.at, 'at'));
  }
}
