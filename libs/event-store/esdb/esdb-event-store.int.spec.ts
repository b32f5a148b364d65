import { describe, it } from '@jest/globals';
import { eventStoreContract } from '../testing/event-store.contract.js';
import { EsdbEventStore } from './esdb-event-store.js';

const url = process.env.EVENTSTORE_URL;

if (url?.startsWith('esdb')) {
  eventStoreContract('eventstoredb', async () => EsdbEventStore.connect(url));
} else {
  describe('event store contract: eventstoredb', () => {
    console.warn('SKIPPED: EventStoreDB contract suite (set EVENTSTORE_URL=esdb://… to a reachable server to run it)');
    it.skip('runs when EVENTSTORE_URL points at an EventStoreDB server', () => undefined);
  });
}
