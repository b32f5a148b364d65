import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { PageQuery, pageLimit } from '../../../../libs/http/pagination.js';
import { PaymentsQuery } from './payments.query.js';
import { PaymentDiagnosisQuery } from './payment-diagnosis.query.js';
import { DiagnosisResponse, PaymentListResponse, PaymentResponse } from '../../payment.response.js';

class ListPaymentsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['attributed', 'unattributed'] })
  @IsOptional()
  @IsIn(['attributed', 'unattributed'])
  attribution?: 'attributed' | 'unattributed';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  customerId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  partnerId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  leadId?: string;
}

@ApiTags('payments')
@Controller('v1/payments')
export class PaymentsController {
  constructor(
    private readonly payments: PaymentsQuery,
    private readonly diagnosis: PaymentDiagnosisQuery,
  ) {}

  @Get()
  @Auth('admin')
  @ApiOkResponse({ type: PaymentListResponse })
  list(@Caller() caller: AdminPrincipal, @Query() q: ListPaymentsQuery): Promise<PaymentListResponse> {
    return this.payments.list(caller.companyId, {
      cursor: q.cursor,
      limit: pageLimit(q),
      attribution: q.attribution,
      customerId: q.customerId,
      partnerId: q.partnerId,
      leadId: q.leadId,
    });
  }

  @Get(':id')
  @Auth('admin')
  @ApiOkResponse({ type: PaymentResponse })
  get(@Caller() caller: AdminPrincipal, @Param('id') id: string): Promise<PaymentResponse> {
    return this.payments.get(caller.companyId, id);
  }

  @Get(':id/diagnosis')
  @Auth('admin')
  @ApiOkResponse({ type: DiagnosisResponse, description: 'why the payment is not attributed, and candidate leads' })
  diagnose(@Caller() caller: AdminPrincipal, @Param('id') id: string): Promise<DiagnosisResponse> {
    return this.diagnosis.diagnose(caller.companyId, id);
  }
}
