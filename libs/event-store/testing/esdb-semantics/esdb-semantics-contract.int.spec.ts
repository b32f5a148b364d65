import { eventStoreContract } from '../event-store.contract.js';
import { EsdbSemanticsEventStore } from './esdb-semantics-event-store.js';

// The real EventStoreDB adapter on the in-process server with EventStoreDB's semantics, on every `npm test`.
eventStoreContract('eventstoredb semantics (adapter on the in-process server)', async () => EsdbSemanticsEventStore.create());
