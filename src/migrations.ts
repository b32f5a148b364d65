import type { MigrationList } from '../libs/database/orm.js';
import { EventStoreMigration } from '../libs/event-store/postgres/event-store.migration.js';
import { CompaniesMigration } from './companies/companies.migration.js';
import { PartnersMigration } from './partners/partners.migration.js';
import { LeadsMigration } from './attribution/attribution.migration.js';

/** Every module's schema, in order. Append new migrations at the end; never rename one. */
export const migrations: MigrationList = [
  { name: '0001_event_store', class: EventStoreMigration },
  { name: '0002_companies', class: CompaniesMigration },
  { name: '0003_partners', class: PartnersMigration },
  { name: '0004_leads', class: LeadsMigration },
];
