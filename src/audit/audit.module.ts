import { Module } from '@nestjs/common';
import { StreamHistoryQuery } from './queries/stream-history/stream-history.query.js';
import { StreamHistoryController } from './queries/stream-history/stream-history.http.controller.js';
import { ProjectionsController } from './queries/projections/projections.http.controller.js';
import { RebuildProjectionsController } from './commands/rebuild-projections/rebuild-projections.http.controller.js';

/** Stream history of any resource, projection status and rebuild. */
@Module({
  controllers: [StreamHistoryController, ProjectionsController, RebuildProjectionsController],
  providers: [StreamHistoryQuery],
})
export class AuditModule {}
