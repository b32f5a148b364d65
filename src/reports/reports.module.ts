import { Module } from '@nestjs/common';
import { CompaniesModule } from '../companies/index.js';
import { AttributionModule } from '../attribution/index.js';
import { CommissionsModule } from '../commissions/index.js';
import { InvoicingModule } from '../invoicing/index.js';
import { OverviewController } from './queries/overview/overview.http.controller.js';
import { OverviewQuery } from './queries/overview/overview.query.js';

/** Read-only figures across modules for the console's dashboard; public API like any other. */
@Module({
  imports: [CompaniesModule, AttributionModule, CommissionsModule, InvoicingModule],
  controllers: [OverviewController],
  providers: [OverviewQuery],
})
export class ReportsModule {}
