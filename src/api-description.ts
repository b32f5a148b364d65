/** The document's introduction (Markdown): what every operation shares. The README's client guide says more. */
export const apiDescription = `
Partner programs on Stripe: attribution of Stripe payments to partners' leads, commissions, invoices and payouts.
REST under \`/v1\`, JSON in and out. This reference is served by every Partnerflow server at \`/docs\` (Swagger UI),
\`/docs/reference\` (this page) and \`/docs-json\` (the document); the typed TypeScript client \`clients/typescript\`
is generated from it.

## Keys
Send \`Authorization: Bearer <key>\`. The **operator** (who runs the server) has the key of its \`OPERATOR_API_KEY\`
and creates companies (\`POST /v1/companies\`), each answered with a one-time **admin** key. A company's admins create
partners (\`POST /v1/partners\`), each answered with a one-time **partner** key for the partner portal API. Every
resource belongs to one company: another company's id answers 404. The web console signs in with the same keys
(\`POST /v1/sessions\`) and then uses a session cookie.

## Money
Amounts are integers in the currency's minor units (\`2980\` \`usd\` is $29.80; \`500\` \`jpy\` is ¥500) with a lower-case
ISO 4217 \`currency\`, as Stripe sends them. Never floats; FX conversions record the rate they used.

## Lists
Lists answer \`{data: [...], nextCursor}\`. Pass \`?cursor=<nextCursor>\` for the next page (\`null\`: the last page)
and \`?limit=\` for its size (default 50, at most 200).

## Errors
Every error is an RFC 9457 problem (\`application/problem+json\`) with a stable \`code\`; bad input is 400 or 422 and
names each refused field in \`errors: [{field, message}]\`:

\`\`\`json
{"type": "about:blank", "title": "Bad Request", "status": 400, "code": "validation_failed",
 "detail": "email must be an email", "errors": [{"field": "email", "message": "email must be an email"}],
 "instance": "/v1/partners"}
\`\`\`

## Idempotency
Every authenticated \`POST\` takes an \`Idempotency-Key\` header (Stripe's convention): retry a request with the same
key and body, and for 24 hours the first answer comes back with \`Idempotent-Replayed: true\` instead of the request
running again. The key with another body or route is 422 \`idempotency_key_reused\`; while the first request still
runs, 409 \`idempotency_key_in_use\`. Keys belong to the caller (the operator, a company's admins, one partner).
\`GET\`, \`PUT\`, \`PATCH\` and \`DELETE\` are idempotent by themselves.

## Webhooks
In: Stripe posts the company's events to \`/v1/webhooks/stripe/{companyId}\` and the platform's to
\`/v1/webhooks/stripe-platform\` and \`/v1/webhooks/stripe-connect\` (signed, stored once per event id).
Out: \`/v1/webhook-endpoints\` subscribes the company's own systems to signed events (\`Partnerflow-Signature\`).
`.trim();
