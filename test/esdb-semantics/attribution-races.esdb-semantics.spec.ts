/**
 * The attribution race suite again, on the in-process EventStoreDB-semantics store (`appendMany` not atomic): the
 * suite's own file runs it on Postgres. `EVENT_STORE` is read when test/support/app.ts is loaded, in this file's
 * module registry only, and unset again so the files after this one stay on Postgres.
 */
process.env.EVENT_STORE = 'esdb-semantics';
await import('../../src/attribution/commands/attribution-races.int.spec.js');
delete process.env.EVENT_STORE;
