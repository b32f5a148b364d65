import type { ModuleOpenApi } from '../../libs/http/openapi/operation-docs.js';

const money = (amount: number) => [{ currency: 'usd', amount }];
const period = { periodStart: '2026-01-05', clicks: 412, leads: 37, customers: 9, payingCustomers: 7, revenue: money(69300), commissions: money(13860) };
const publicTracking =
  'Public (no API key): the company’s publishable key (`pk_…`, in `GET /v1/company`) names the company. From a browser page, only ' +
  'the origins in the company’s `tracking.allowedOrigins` are answered (CORS); a request without `Origin` is not a browser’s. ' +
  'Each address is rate-limited (then 429 with `Retry-After`).';
const corsErrors = {
  400: '`validation_failed`: the publishable key, click id, e-mail, url or referrer is malformed: nothing stored',
  401: '`invalid_publishable_key`: no company has this publishable key',
  403: '`origin_not_allowed`: the page’s `Origin` is not in the company’s `tracking.allowedOrigins`: nothing stored',
  429: '`rate_limited`: too many tracking requests from this address; retry after `Retry-After`',
};
const preflight = (path: string) => ({
  summary: `CORS preflight of ${path}`,
  description:
    'What a browser asks before a page of another origin posts to the tracking endpoint: 204 with the CORS headers for an origin some company allows.',
  responses: { 204: null },
  errors: { 403: '`origin_not_allowed`: no company allows this origin (or there is no `Origin`)' },
});
const range = { 400: '`validation_failed`: `from`/`to` are not days YYYY-MM-DD, `from` is after `to`, or the range has too many periods' };

/** The tracking module's operations (referral links, the tracking script, clicks and signups, the funnel). */
export const trackingOpenApi: ModuleOpenApi = {
  tags: [
    {
      name: 'Tracking',
      description:
        'Referral links (`/r/{referralKey}`), the tracking script for the company’s site, the clicks and signups it reports, and the ' +
        'funnel per partner: clicks → leads → customers → paying customers, revenue and commissions.',
    },
  ],
  operations: {
    referralRedirectFollow: {
      summary: 'Follow a referral link',
      description:
        'A partner’s referral link: records a click (once per visitor and partner in 24 hours; known bots are not counted) and redirects ' +
        'to the company’s landing URL (or `to`, a path on its origin) with `pf_ref=<clickId>` added. Public; each address is rate-limited.',
      errors: {
        400: '`invalid_redirect`: `to` leaves the landing URL’s origin or is malformed: nothing recorded',
        404: '`not_found`: no partner has this referral key',
        409: '`tracking_not_configured`: the company has not set its landing URL (`tracking.landingUrl`)',
        429: '`rate_limited`: too many clicks from this address; retry after `Retry-After`',
      },
    },
    trackingScript: {
      summary: 'The tracking script',
      description:
        'A small script for the company’s site, included by a script tag with `src` this URL and `data-key` the publishable key (or ' +
        '`?key=pk_…`). On a page opened with ' +
        '`?pf_ref=` or `?via=<referralKey>` it keeps the click id in a first-party cookie for `cookieDays`, exposes ' +
        '`window.Partnerflow.referral` (pass it to Stripe Checkout as `client_reference_id`) and `Partnerflow.signup({email, name})`.',
    },
    trackingScriptConfig: {
      summary: 'The tracking script’s settings',
      description: `What the script needs to keep a click: the cookie lifetime and the attribution model (first or last click). ${publicTracking}`,
      response: { cookieDays: 60, model: 'last_click', landingUrl: 'https://www.acme.example/' },
      errors: { 400: corsErrors[400], 401: corsErrors[401], 403: corsErrors[403] },
    },
    trackClickPreflight: preflight('/v1/track/clicks'),
    trackClick: {
      summary: 'Record a click from the site',
      description:
        `The script’s click, for a page opened with \`?via=<referralKey>\`: counted like a referral link’s (once per visitor and partner in ` +
        `24 hours; \`counted: false\` and the earlier click’s id otherwise; no id for a bot). Keep \`clickId\` and pass it as Checkout’s ` +
        `\`client_reference_id\`. ${publicTracking}`,
      request: {
        publishableKey: 'pk_3hT2xkQ9aLmR7vB2nC4d',
        referralKey: 'ref_9f29ce0Y',
        url: 'https://www.acme.example/pricing?via=ref_9f29ce0Y',
        referrer: 'https://blog.partner.example/review',
      },
      response: { clickId: 'clk_5f0c2b9e8d1a47c6b5e4d3c2a1f0e9d8_1', counted: true, cookieDays: 60, model: 'last_click' },
      errors: { ...corsErrors, 404: '`not_found`: no partner of this company has the referral key' },
    },
    trackLeadPreflight: preflight('/v1/track/leads'),
    trackLead: {
      summary: 'Record a signup from the site',
      description:
        `The script’s \`Partnerflow.signup({email, name})\`: the lead of the click’s partner, created once (\`created: false\` when the click, ` +
        `or its partner’s lead with this e-mail, already had one). ${publicTracking}`,
      request: {
        publishableKey: 'pk_3hT2xkQ9aLmR7vB2nC4d',
        clickId: 'clk_5f0c2b9e8d1a47c6b5e4d3c2a1f0e9d8_1',
        email: 'visitor@customer.example',
        name: 'Vera',
      },
      response: {
        id: 'ld_2b7e9c4d1f3a4e6b8c0d2e4f6a8b0c1d',
        partnerId: 'pa_57d432fc6af54c62890c6697b709a97c',
        email: 'visitor@customer.example',
        name: 'Vera',
        created: true,
      },
      errors: { ...corsErrors, 404: '`not_found`: no such click of this company' },
    },
    funnelPartner: {
      summary: 'A partner’s funnel',
      description:
        'Per `day`, `week` (ISO, from Monday) or `month` from `from` to `to` (inclusive, UTC; default the last 30 days): clicks, leads, ' +
        'customers, paying customers, revenue (net, as commissions use it) and commissions per currency.',
      response: { data: [period] },
      errors: { ...range, 404: '`not_found`: no partner with this id in the caller’s company' },
    },
    funnelPortal: {
      summary: 'The partner’s own funnel',
      description: 'The signed-in partner’s funnel, as `GET /v1/partners/{id}/funnel` shows it to the company.',
      response: { data: [period] },
      errors: range,
    },
    funnelLeaderboard: {
      summary: 'The partner leaderboard',
      description: 'Partners with activity from `from` to `to` (inclusive, UTC; default the last 30 days), most customers first, with their funnel totals.',
      response: {
        data: [
          {
            partnerId: 'pa_57d432fc6af54c62890c6697b709a97c',
            name: 'Jane Doe',
            clicks: 1204,
            leads: 96,
            customers: 21,
            payingCustomers: 18,
            revenue: money(178200),
            commissions: money(35640),
          },
        ],
        nextCursor: null,
      },
      errors: { 400: [range[400], '`validation_failed`: `cursor` is not a `nextCursor` of this list'] },
      omitShared: [422],
    },
  },
};
