/** A broken business rule, mapped once to problem+json by ProblemDetailsFilter. */
export class DomainError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 422 | 429 | 502 | 503,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string, id?: string) =>
  new DomainError(404, 'not_found', id ? `${what} ${id} not found` : `${what} not found`, { resource: what });
export const conflict = (code: string, message: string, extra: Record<string, unknown> = {}) => new DomainError(409, code, message, extra);
export const invalid = (field: string, message: string) => new DomainError(422, 'invalid_field', message, { errors: [{ field, message }] });
