/** The Stripe webhook attribution suite (refunds before payments, redeliveries) on the ESDB-semantics store: see attribution-races.esdb-semantics.spec.ts. */
process.env.EVENT_STORE = 'esdb-semantics';
await import('../e2e/attribution-webhooks.e2e.spec.js');
delete process.env.EVENT_STORE;
