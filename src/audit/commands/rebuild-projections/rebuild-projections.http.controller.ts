import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { SubscriptionRunner } from '../../../../libs/event-store/subscription-runner.js';
import { UnknownProjection } from '../../../../libs/event-store/subscriptions.js';
import { Auth } from '../../../../libs/http/auth.js';
import { invalid } from '../../../../libs/http/domain-error.js';
import { RUNNER } from '../../../core/tokens.js';
import { RebuildProjectionsRequest } from './rebuild-projections.request.dto.js';
import { ProjectionStatusListResponse } from '../../queries/projections/projection-status.response.js';

/** Truncates the read models and lets the leader replay them; GET /v1/admin/projections shows progress. */
@ApiTags('admin')
@Controller('v1/admin/projections')
export class RebuildProjectionsController {
  constructor(@Inject(RUNNER) private readonly runner: SubscriptionRunner) {}

  @Post('rebuild')
  @HttpCode(202)
  @Auth('operator')
  @ApiAcceptedResponse({ type: ProjectionStatusListResponse, description: 'the projections now rebuilding' })
  @ApiUnprocessableEntityResponse({ description: 'a name that is not a projection; nothing was reset' })
  async rebuild(@Body() body: RebuildProjectionsRequest): Promise<ProjectionStatusListResponse> {
    const names = body.names ?? this.runner.projectionNames();
    try {
      await this.runner.rebuild(names);
    } catch (e) {
      if (e instanceof UnknownProjection) throw invalid('names', `${e.message}; known: ${this.runner.projectionNames().join(', ')}`);
      throw e;
    }
    return { data: await this.runner.status({ names, checksum: false }) };
  }
}
