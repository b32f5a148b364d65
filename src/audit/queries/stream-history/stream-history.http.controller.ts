import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { PageQuery, pageLimit } from '../../../../libs/http/pagination.js';
import { StreamHistoryQuery } from './stream-history.query.js';
import { AuditEventListResponse } from './audit-event.response.js';
import { AUDIT_STREAM_TYPES, type AuditStreamType } from './audit-stream.js';

class StreamParams {
  @ApiProperty({ enum: AUDIT_STREAM_TYPES })
  @IsIn(AUDIT_STREAM_TYPES)
  type!: AuditStreamType;

  @ApiProperty({ description: "the resource's id (for company: the caller's company id)" })
  @IsString()
  @Length(1, 200)
  id!: string;
}

@ApiTags('audit')
@Controller('v1/audit/streams')
export class StreamHistoryController {
  constructor(private readonly history: StreamHistoryQuery) {}

  @Get(':type/:id')
  @Auth('admin')
  @ApiOkResponse({ type: AuditEventListResponse, description: "the resource's events in order" })
  @ApiNotFoundResponse({ description: 'no such resource in the caller’s company' })
  list(@Caller() caller: AdminPrincipal, @Param() p: StreamParams, @Query() q: PageQuery): Promise<AuditEventListResponse> {
    return this.history.list(caller.companyId, p.type, p.id, { cursor: q.cursor, limit: pageLimit(q) });
  }
}
