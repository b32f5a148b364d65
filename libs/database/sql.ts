import { CompiledQuery } from 'kysely';
import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';

/** Parameterised SQL (`$1, $2`) through MikroORM's connection, inside its transaction when there is one. */
export interface Sql {
  query<T = Record<string, any>>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

export function sqlOf(em: EntityManager): Sql {
  return {
    async query<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
      const kysely = em.getKysely();
      const result = await kysely.executeQuery<T>(CompiledQuery.raw(text, params as unknown[]));
      return result.rows as T[];
    },
  };
}

export function readSql(orm: MikroORM): Sql {
  return sqlOf(orm.em.fork());
}

export function inTransaction<T>(orm: MikroORM, fn: (sql: Sql) => Promise<T>): Promise<T> {
  return orm.em.fork().transactional((em) => fn(sqlOf(em)));
}
