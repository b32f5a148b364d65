import { Module } from '@nestjs/common';
import { StreamHistoryQuery } from './queries/stream-history/stream-history.query.js';
import { StreamHistoryController } from './queries/stream-history/stream-history.http.controller.js';
import { ProjectionsController } from './queries/projections/projections.http.controller.js';
import { RebuildProjectionsController } from './commands/rebuild-projections/rebuild-projections.http.controller.js';
import { ParkedEventsController } from './queries/parked-events/parked-events.http.controller.js';
import { SettleParkedEventController } from './commands/settle-parked-event/settle-parked-event.http.controller.js';

/** Stream history of any resource, projection status and rebuild, parked events. */
@Module({
  controllers: [StreamHistoryController, ProjectionsController, RebuildProjectionsController, ParkedEventsController, SettleParkedEventController],
  providers: [StreamHistoryQuery],
})
export class AuditModule {}
