import { client } from '@partnerflow/client';
import { ProblemError } from './problem';

// Same origin as the page; the session cookie goes with every request, the browser adds Origin to writes.
client.setConfig({ baseUrl: '', credentials: 'same-origin' });

type Result<T> = { data?: T; error?: unknown; response?: Response };

/** Unwraps a typed-client call: the data, or a ProblemError carrying the problem+json the API answered. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await call;
  } catch (e) {
    throw new ProblemError(0, { title: 'Network error', detail: 'The server could not be reached. Check your connection and try again.' }, e);
  }
  const { data, error, response } = result;
  if (!response || !response.ok || error !== undefined) throw new ProblemError(response?.status ?? 0, error);
  return data as T;
}
