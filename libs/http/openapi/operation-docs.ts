/** Set by `@Auth(...)` on an operation; applyOperationDocs reads and removes it. */
export const ROLES_EXTENSION = 'x-partnerflow-roles';

/** Statuses an operation's own errors may name (the ones every route answers are added by applyOperationDocs). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 422 | 429 | 502 | 503;

/**
 * One operation's documentation, kept in its module's `<module>.openapi.ts` under the operation's id. Who may call
 * it (from `@Auth`/`@Public`), the `Idempotency-Key` header of authenticated POSTs and the errors every route can
 * answer are added by applyOperationDocs, so an entry says only what is particular to the operation.
 */
export interface OperationDoc {
  summary: string;
  /** Markdown: what it does, what is idempotent, what a client should know. */
  description: string;
  /** One of the module's tags (default: its first). */
  tag?: string;
  /** Example JSON request body: amounts in minor units, currencies lower-case. */
  request?: unknown;
  /** Example JSON answer of the operation's first success status. */
  response?: unknown;
  /** Example JSON answers of other statuses (a 202 beside a 200; `null`: a success without a body). */
  responses?: Record<number, unknown>;
  /** Errors particular to this operation: status → lines "`code`: why". */
  errors?: Partial<Record<ErrorStatus, string | string[]>>;
  /** Statuses the shared rules would add that this operation never answers (e.g. a list whose bad cursor is a 400). */
  omitShared?: ErrorStatus[];
}

/** A module's part of the OpenAPI document: its tags and its operations' documentation. */
export interface ModuleOpenApi {
  tags: { name: string; description: string }[];
  operations: Record<string, OperationDoc>;
}
