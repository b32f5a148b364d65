import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { SubscriptionRunner } from '../../../../libs/event-store/subscription-runner.js';
import { Auth } from '../../../../libs/http/auth.js';
import { RUNNER } from '../../../core/tokens.js';
import { ProjectionStatusListResponse } from './projection-status.response.js';

class ProjectionStatusQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'true', description: 'false skips hashing the read models' })
  @IsOptional()
  @IsIn(['true', 'false'])
  checksum?: 'true' | 'false';
}

@ApiTags('admin')
@Controller('v1/admin/projections')
export class ProjectionsController {
  constructor(@Inject(RUNNER) private readonly runner: SubscriptionRunner) {}

  @Get()
  @Auth('operator')
  @ApiOkResponse({ type: ProjectionStatusListResponse, description: 'every projection (and reactor): status, position, lag, checksum, last error' })
  async list(@Query() q: ProjectionStatusQuery): Promise<ProjectionStatusListResponse> {
    return { data: await this.runner.status({ checksum: q.checksum !== 'false' }) };
  }
}
