import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { SubscriptionRunner } from '../../../../libs/event-store/subscription-runner.js';
import { Auth } from '../../../../libs/http/auth.js';
import { RUNNER } from '../../../core/tokens.js';
import { ProjectionStatusListResponse } from './projection-status.response.js';

class ProjectionStatusQuery {
  @ApiPropertyOptional({
    enum: ['true', 'false', 'fresh'],
    default: 'true',
    description:
      'false skips hashing the read models; true reuses a hash until the projection moves; fresh hashes the tables again (catches rows changed behind the projection, e.g. by hand)',
  })
  @IsOptional()
  @IsIn(['true', 'false', 'fresh'])
  checksum?: 'true' | 'false' | 'fresh';
}

@ApiTags('admin')
@Controller('v1/admin/projections')
export class ProjectionsController {
  constructor(@Inject(RUNNER) private readonly runner: SubscriptionRunner) {}

  @Get()
  @Auth('operator')
  @ApiOkResponse({ type: ProjectionStatusListResponse, description: 'every projection (and reactor): status, position, lag, checksum, last error' })
  async list(@Query() q: ProjectionStatusQuery): Promise<ProjectionStatusListResponse> {
    return { data: await this.runner.status({ checksum: q.checksum === 'fresh' ? 'fresh' : q.checksum !== 'false' }) };
  }
}
