import { offlineOpenApiDocument } from '../openapi-offline.js';

/** `node dist/src/cli/openapi.js`: prints the OpenAPI document (no database, no network). */
// Exit once the document is written: a pipe takes it in pieces, and exiting earlier would cut it short.
process.stdout.write(`${JSON.stringify(await offlineOpenApiDocument(), null, 2)}\n`, () => process.exit(0));
