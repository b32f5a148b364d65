/** What ProblemDetailsFilter answers (RFC 9457), as a schema for every 4xx/5xx of the document. */
export const problemSchema = {
  type: 'object',
  description:
    'An RFC 9457 problem (`application/problem+json`). `code` is the stable, machine-readable reason; `detail` is for people. ' +
    'Bad input names each field in `errors`. Some problems carry more members, e.g. `currentStatus` of an invoice that cannot ' +
    'make a transition, `fix` of a missing precondition, `retryAfter` (seconds) beside a `Retry-After` header.',
  required: ['type', 'title', 'status'],
  properties: {
    type: {
      type: 'string',
      description: '`https://partnerflow.dev/problems/<code>` for the API’s own problems, `about:blank` for plain HTTP ones',
      example: 'https://partnerflow.dev/problems/not_found',
    },
    title: { type: 'string', description: 'the HTTP status’s name', example: 'Not Found' },
    status: { type: 'integer', description: 'the HTTP status', example: 404 },
    detail: { type: 'string', description: 'what went wrong, for people', example: 'partner ptn_8f2c not found' },
    instance: { type: 'string', description: 'the request’s path', example: '/v1/partners/ptn_8f2c' },
    code: { type: 'string', description: 'the reason, stable for programs', example: 'not_found' },
    errors: {
      type: 'array',
      description: 'each refused field: a body field’s path (`items.0.customerId`), a query parameter, or a header (`Idempotency-Key`)',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string', example: 'email' }, message: { type: 'string', example: 'email must be an email' } },
      },
    },
    retryAfter: { type: 'integer', description: 'seconds to wait before retrying (also sent as `Retry-After`)' },
    currentStatus: { type: 'string', description: 'the resource’s status that refused the request' },
  },
  additionalProperties: true,
};

/** Problems answered as `about:blank` (plain HTTP errors of the framework, the guard and the input checks). */
export const ABOUT_BLANK_CODES = new Set([
  'validation_failed',
  'unauthorized',
  'forbidden',
  'foreign_origin',
  'nul_character',
  'malformed_url',
  'malformed_unicode',
]);

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** An example problem for `status` from the first documented reason ("`code`: why", the field named first in backticks). */
export function problemExample(status: number, line: string, bodyField?: string): Record<string, unknown> {
  const code = /^`([a-z_]+)`/.exec(line)?.[1];
  const why = line.replace(/^(`[a-z_]+`(, `[a-z_]+`)*|no code):\s*/, '');
  const detail = why.replace(/`/g, '');
  const example: Record<string, unknown> = {
    type: code && !ABOUT_BLANK_CODES.has(code) ? `https://partnerflow.dev/problems/${code}` : 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail,
  };
  if (code) example.code = code;
  if (code === 'idempotency_key_reused' || code === 'invalid_idempotency_key') example.errors = [{ field: 'Idempotency-Key', message: detail }];
  else if (code === 'validation_failed') example.errors = [{ field: bodyField ?? 'limit', message: `${bodyField ?? 'limit'} is not valid` }];
  else if (code === 'invalid_field') example.errors = [{ field: /`([A-Za-z.]+)`/.exec(why)?.[1] ?? bodyField ?? 'id', message: detail }];
  if (code === 'idempotency_key_in_use') example.retryAfter = 1;
  if (code === 'unavailable' || code === 'too_many_failed_authentications' || code === 'export_busy') example.retryAfter = 5;
  return example;
}
