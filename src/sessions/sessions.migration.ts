import { Migration } from '@mikro-orm/migrations';

/**
 * Console sessions and partner login links: authentication state, not business history, so plain
 * tables rather than events (a rebuild of the read models leaves them alone). Only hashes of the
 * tokens are stored; a session keeps the hash of the API key it was opened with and resolves its
 * caller through the API-key lookup on every request.
 */
export class SessionsMigration extends Migration {
  override name = '0070_sessions';
  override async up(): Promise<void> {
    this.addSql(`
      create table sessions (
        token_hash text primary key,
        key_hash text not null,
        company_id text not null,
        created_at timestamptz not null,
        expires_at timestamptz not null
      )`);
    this.addSql('create index sessions_expiry on sessions (expires_at)');
    this.addSql(`
      create table login_links (
        token_hash text primary key,
        link_id text not null unique,
        company_id text not null,
        partner_id text not null,
        created_at timestamptz not null,
        expires_at timestamptz not null,
        used_at timestamptz
      )`);
    this.addSql('create index login_links_expiry on login_links (expires_at)');
  }
}
