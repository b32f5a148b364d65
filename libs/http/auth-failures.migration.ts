import { Migration } from '@mikro-orm/migrations';

/** The table failed authentications are counted in, shared by every process (rate-limiter-flexible's layout). */
export const AUTH_FAILURES_TABLE = 'auth_failures';

export class AuthFailuresMigration extends Migration {
  override name = '0110_auth_failures';
  override async up(): Promise<void> {
    this.addSql(`create table ${AUTH_FAILURES_TABLE} (key varchar(255) primary key, points integer not null default 0, expire bigint)`);
  }
}
