import { createClient, type Client } from '../../clients/typescript/src/index.js';

/** The generated client against a running app, as an API user would use it (Bearer key). */
export function typedClient(baseUrl: string, key?: string): Client {
  return createClient({ baseUrl, headers: key ? { Authorization: `Bearer ${key}` } : {} });
}

/** The data of a typed-client call, or an error naming the status and the problem the API answered. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response?: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response?.ok || error !== undefined) throw new Error(`${response?.status} ${response?.url}: ${JSON.stringify(error)}`);
  return data as T;
}
