import { notFound } from '../../libs/http/domain-error.js';

/** Ids this app gives out are short and plain; anything else (NUL, slashes, megabytes) names nothing: 404. */
export function resourceId(what: string, id: string): string {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) throw notFound(what);
  return id;
}
