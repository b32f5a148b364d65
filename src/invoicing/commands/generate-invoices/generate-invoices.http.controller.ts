import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { InvoiceRunService } from './invoice-run.service.js';
import { GenerateInvoicesResponse } from '../../invoice.response.js';

class GenerateInvoicesRequest {
  @ApiPropertyOptional({
    example: '2025-03-31',
    description: 'last day of the period (inclusive); default: the day before the latest invoice day of the schedule',
  })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'periodEnd must be a date YYYY-MM-DD' })
  periodEnd?: string;
}

@ApiTags('invoices')
@Controller('v1/invoices')
export class GenerateInvoicesController {
  constructor(
    private readonly runs: InvoiceRunService,
    private readonly es: EventSourcing,
  ) {}

  @Post('generate')
  @HttpCode(200)
  @Auth('admin')
  @ApiOkResponse({ type: GenerateInvoicesResponse, description: 'runs the schedule now; idempotent per partner and period' })
  async generate(@Caller() caller: AdminPrincipal, @Body() body: GenerateInvoicesRequest): Promise<GenerateInvoicesResponse> {
    const { checkpoint, ...result } = (await this.runs.generate(caller.companyId, { periodEnd: body.periodEnd }))!;
    await this.es.settle(checkpoint);
    return result;
  }
}
