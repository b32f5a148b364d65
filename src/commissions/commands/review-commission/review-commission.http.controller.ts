import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { CommissionsQuery } from '../../queries/commissions/commissions.query.js';
import { CommissionResponse } from '../../commission.response.js';
import { ReviewCommission } from './review-commission.handler.js';
import { BulkReviewCommissions, type BulkReviewResult } from './bulk-review.handler.js';
import { BulkReviewRequest, DeclineCommissionRequest } from './review-commission.request.dto.js';

class BulkReviewResultResponse {
  @ApiProperty() index!: number;
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: String, nullable: true }) commissionId!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['approve', 'decline'] }) action!: string | null;
  @ApiPropertyOptional({ description: 'why the row failed' }) error?: string;
  @ApiPropertyOptional({ description: 'the problem code of a failed row (commission_invoiced, not_found, invalid_field…)' }) code?: string;
}

class BulkReviewResponse {
  @ApiProperty({ type: [BulkReviewResultResponse] }) results!: BulkReviewResult[];
}

@ApiTags('commissions')
@Controller('v1/commissions')
export class CommissionReviewController {
  constructor(
    private readonly commands: CommandBus,
    private readonly es: EventSourcing,
    private readonly commissions: CommissionsQuery,
  ) {}

  @Post('review/bulk')
  @HttpCode(200)
  @Auth('admin')
  @ApiOkResponse({ type: BulkReviewResponse, description: 'one result per item, in order' })
  @ApiUnprocessableEntityResponse({ description: 'no items, or more than 100' })
  async bulk(@Caller() caller: AdminPrincipal, @Body() body: BulkReviewRequest): Promise<BulkReviewResponse> {
    return { results: await this.commands.execute(new BulkReviewCommissions(caller.companyId, body.items)) };
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Auth('admin')
  @ApiOkResponse({ type: CommissionResponse, description: 'the commission; approving again changes nothing' })
  @ApiConflictResponse({ description: 'invoiced, paid, reversed or declined (problem+json)' })
  approve(@Caller() caller: AdminPrincipal, @Param('id') id: string): Promise<CommissionResponse> {
    return this.review(new ReviewCommission(caller.companyId, id, { action: 'approve' }));
  }

  @Post(':id/decline')
  @HttpCode(200)
  @Auth('admin')
  @ApiOkResponse({ type: CommissionResponse, description: 'the commission; declining again changes nothing' })
  @ApiConflictResponse({ description: 'invoiced, paid, reversed or approved (problem+json)' })
  decline(@Caller() caller: AdminPrincipal, @Param('id') id: string, @Body() body: DeclineCommissionRequest): Promise<CommissionResponse> {
    return this.review(new ReviewCommission(caller.companyId, id, { action: 'decline', reason: body.reason.trim() }));
  }

  private async review(cmd: ReviewCommission): Promise<CommissionResponse> {
    const { checkpoint } = await this.commands.execute<ReviewCommission, { checkpoint?: string }>(cmd);
    await this.es.settle(checkpoint);
    return this.commissions.get(cmd.companyId, cmd.commissionId, new Date());
  }
}
