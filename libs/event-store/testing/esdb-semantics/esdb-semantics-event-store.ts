import { EsdbEventStore } from '../../esdb/esdb-event-store.js';
import { EsdbSemanticsServer, type EsdbSemanticsOptions } from './esdb-semantics-server.js';

/**
 * The EventStoreDB adapter, unchanged, on an in-process server with EventStoreDB's semantics: the store the
 * contract suite and the e2e suites run to prove the app under EventStoreDB's guarantees without a server.
 * Tests only: nothing in the app's configuration can select it.
 */
export class EsdbSemanticsEventStore extends EsdbEventStore {
  constructor(readonly server: EsdbSemanticsServer = new EsdbSemanticsServer()) {
    super(server.connect(), { maxAppendBytes: server.maxAppendSize });
  }

  static create(options?: EsdbSemanticsOptions): EsdbSemanticsEventStore {
    return new EsdbSemanticsEventStore(new EsdbSemanticsServer(options));
  }
}
