/** What the server put in the page (see src/console/console-static.ts): no request needed. */
export interface ConsoleConfig {
  stripeJsUrl: string;
  stripePublishableKey: string | null;
}

export function consoleConfig(): ConsoleConfig {
  const meta = document.querySelector('meta[name="partnerflow-config"]')?.getAttribute('content');
  try {
    if (meta) return JSON.parse(meta) as ConsoleConfig;
  } catch {
    // fall through to the defaults
  }
  return { stripeJsUrl: 'https://js.stripe.com/v3/', stripePublishableKey: null };
}
