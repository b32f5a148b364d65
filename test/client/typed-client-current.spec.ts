import { describe, it, expect } from '@jest/globals';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { offlineOpenApiDocument } from '../../src/openapi-offline.js';
import { generateClient } from '../../clients/typescript/generate.mjs';

const root = new URL('../../', import.meta.url).pathname;
const committed = join(root, 'clients/typescript');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** The committed client is what `npm run client:generate` makes from the app as it is now. */
describe('the typed client in clients/typescript', () => {
  it('was generated from the current OpenAPI document', async () => {
    const doc = await offlineOpenApiDocument();
    const stored = JSON.parse(readFileSync(join(committed, 'openapi.json'), 'utf8'));
    expect(doc).toEqual(stored);
  });

  it('is what the generator makes from that document, file for file', async () => {
    const out = mkdtempSync(join(tmpdir(), 'pf-client-'));
    try {
      const input = join(out, 'openapi.json');
      writeFileSync(input, JSON.stringify(await offlineOpenApiDocument()));
      await generateClient(input, join(out, 'generated'));
      const fresh = files(join(out, 'generated')).map((f) => [relative(join(out, 'generated'), f), readFileSync(f, 'utf8')]);
      const kept = files(join(committed, 'src/generated')).map((f) => [relative(join(committed, 'src/generated'), f), readFileSync(f, 'utf8')]);
      expect(Object.fromEntries(kept)).toEqual(Object.fromEntries(fresh));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
