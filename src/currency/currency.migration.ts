import { Migration } from '@mikro-orm/migrations';

export class CurrencyMigration extends Migration {
  override name = '0020_fx_rates';
  override async up(): Promise<void> {
    this.addSql(`
      create table fx_rates (
        id text primary key,
        base text not null,
        quote text not null,
        rate text not null,
        as_of timestamptz not null,
        source text not null,
        position bigint not null
      )`);
    this.addSql('create index fx_rates_pair on fx_rates (base, quote, as_of desc, position desc)');
  }
}
