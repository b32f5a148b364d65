/** The Partnerflow REST API, typed from its OpenAPI document (regenerate with `npm run client:generate`). */
export * from './generated/index.js';
export { client } from './generated/client.gen.js';
export { createClient, createConfig, type Client, type Config } from './generated/client/index.js';
