import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readSql } from '../../libs/database/sql.js';
import { isOwnOrigin, type CookieSessions } from '../../libs/http/cookie-session.js';
import type { AppConfig } from '../../libs/config/config.js';
import { CONFIG, ORM } from '../core/tokens.js';
import { hashToken, LOGIN_LINK_TTL_MS, newToken, SESSION_TTL_MS } from './domain/session.js';

/** Sessions and login links in their tables (see sessions.migration.ts); tokens only as hashes. */
@Injectable()
export class SessionStore implements CookieSessions {
  constructor(
    @Inject(ORM) private readonly orm: MikroORM,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  async open(keyHash: string, companyId: string, now: Date): Promise<{ token: string; expiresAt: Date }> {
    const token = newToken();
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    await readSql(this.orm).query('insert into sessions (token_hash, key_hash, company_id, created_at, expires_at) values ($1, $2, $3, $4, $5)', [
      hashToken(token),
      keyHash,
      companyId,
      now,
      expiresAt,
    ]);
    return { token, expiresAt };
  }

  async keyHashOf(token: string): Promise<string | undefined> {
    const [row] = await readSql(this.orm).query<{ key_hash: string }>('select key_hash from sessions where token_hash = $1 and expires_at > now()', [
      hashToken(token),
    ]);
    return row?.key_hash;
  }

  async close(token: string): Promise<void> {
    await readSql(this.orm).query('delete from sessions where token_hash = $1', [hashToken(token)]);
  }

  allowsOrigin(origin: string | undefined, host: string | undefined): boolean {
    return isOwnOrigin(origin, host, this.config.publicUrl);
  }

  async issueLoginLink(ids: { companyId: string; partnerId: string }, linkId: string, now: Date): Promise<string> {
    const token = newToken();
    await readSql(this.orm).query(
      'insert into login_links (token_hash, link_id, company_id, partner_id, created_at, expires_at) values ($1, $2, $3, $4, $5, $6)',
      [hashToken(token), linkId, ids.companyId, ids.partnerId, now, new Date(now.getTime() + LOGIN_LINK_TTL_MS)],
    );
    return token;
  }

  /** Marks the link used in the same statement that finds it, so two redemptions cannot both succeed. */
  async redeemLoginLink(token: string): Promise<{ companyId: string; partnerId: string } | undefined> {
    const [row] = await readSql(this.orm).query<{ company_id: string; partner_id: string }>(
      'update login_links set used_at = now() where token_hash = $1 and used_at is null and expires_at > now() returning company_id, partner_id',
      [hashToken(token)],
    );
    return row && { companyId: row.company_id, partnerId: row.partner_id };
  }

  /** Expired sessions and links are of no use to anyone; used links stay until they expire, for support. */
  async purgeExpired(now: Date): Promise<void> {
    const sql = readSql(this.orm);
    await sql.query('delete from sessions where expires_at < $1', [now]);
    await sql.query('delete from login_links where expires_at < $1', [now]);
  }
}
