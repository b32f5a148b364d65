import type { ModuleOpenApi } from '../../libs/http/openapi/operation-docs.js';

/** The sessions module's operations (console sign-in, partner login links). */
export const sessionsOpenApi: ModuleOpenApi = {
  tags: [
    {
      name: 'Sessions',
      description:
        'Sign-in for the web console and partner portal: a session cookie opened with an API key or a partner’s one-time login link. ' +
        'API clients do not need it: they send their key as a Bearer token.',
    },
  ],
  operations: {
    signIn: {
      summary: 'Sign in to the console',
      description:
        'Opens a console session with an admin or partner `apiKey`, or the `loginToken` of a partner login link (once): sets the ' +
        '`pf_session` cookie (HttpOnly, SameSite=Strict, 7 days, Secure over https) and answers who is signed in. The operator key ' +
        'works with the API only. A browser request from another origin is refused (login CSRF). Not idempotent (each call opens a ' +
        'session), and it takes no `Idempotency-Key`.',
      request: { apiKey: 'pf_admin_YEvy3QcgeYnrvieFvoKVWMS3zsXBOcIX5xUdcw2_-gk' },
      response: { role: 'admin', companyId: 'co_9e00b0f27efa478ebf6e1a1a43eaaec1' },
      errors: {
        400: '`validation_failed`: neither or both of `apiKey` and `loginToken`',
        401: [
          '`unauthorized`: an unknown API key',
          '`invalid_login_link`: a login link that expired, was used, or does not exist',
          '`partner_without_access`: the partner is deactivated',
        ],
        403: ['`operator_key_not_for_console`: the operator key signs in to nothing', '`foreign_origin`: a browser request from another origin'],
        429: '`too_many_failed_authentications`: too many failed sign-ins from this address; retry after `Retry-After`',
      },
    },
    signOut: {
      summary: 'Sign out',
      description: 'Ends the session and clears its cookie; also when there was none, so signing out twice changes nothing.',
      errors: { 403: '`foreign_origin`: a browser request from another origin' },
    },
    currentSession: {
      summary: 'Who is signed in',
      description: 'The caller of the cookie (or Bearer key): its role and company, and the partner for a partner. The console asks on load.',
      response: { role: 'partner', companyId: 'co_9e00b0f27efa478ebf6e1a1a43eaaec1', partnerId: 'pa_57d432fc6af54c62890c6697b709a97c' },
    },
    loginLinkCreate: {
      summary: 'Create a partner login link',
      description:
        'A one-time link, valid 24 hours, that signs the partner into the portal without a key (`/portal/login?token=…`). With ' +
        '`send: true` it is also e-mailed to the partner (`sent`). Each call makes a new link; the partner’s history records it without ' +
        'the token.',
      request: { send: true },
      response: {
        url: 'https://partners.acme.example/portal/login?token=aZg8GojZciQ6bsFX86AU20mU90Dbh18TTC00X0L1cpA',
        expiresAt: '2025-03-03T10:00:00.000Z',
        sent: true,
      },
      errors: {
        404: '`not_found`: no partner with this id in the caller’s company',
        409: ['`partner_deactivated`: the partner is deactivated; reactivate it first', '`mail_not_configured`: `send: true` but the server has no SMTP_URL'],
      },
    },
  },
};
