// `npm run client:generate`: the app's OpenAPI document (built offline, no database) → clients/typescript.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateClient } from '../clients/typescript/generate.mjs';

const root = new URL('..', import.meta.url).pathname;
const doc = spawnSync(process.execPath, [join(root, 'dist/src/cli/openapi.js')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
if (doc.status !== 0) {
  process.stderr.write(doc.stderr);
  process.exit(doc.status ?? 1);
}
const input = join(root, 'clients/typescript/openapi.json');
writeFileSync(input, doc.stdout);
await generateClient(input, join(root, 'clients/typescript/src/generated'));
console.log('clients/typescript regenerated from the OpenAPI document');
