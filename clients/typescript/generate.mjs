// Regenerates the typed client from an OpenAPI document: `node clients/typescript/generate.mjs <openapi.json> <outDir>`.
// `npm run client:generate` first writes the app's document (no database) to clients/typescript/openapi.json.
import { createClient } from '@hey-api/openapi-ts';

export async function generateClient(input, output) {
  await createClient({
    input,
    output: { path: output, clean: true },
    // No default base URL: the document's server is relative ('/'), so each client says where the API is.
    plugins: [{ name: '@hey-api/client-fetch', baseUrl: false }, '@hey-api/typescript', '@hey-api/sdk'],
    logs: { level: 'silent' },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: generate.mjs <openapi.json> <outDir>');
    process.exit(2);
  }
  await generateClient(input, output);
}
