import { consoleConfig } from './config';

/** The slice of Stripe.js the card form uses. */
export interface StripeCardElement {
  mount(target: HTMLElement | string): void;
  on(event: 'change', handler: (e: { complete: boolean; error?: { message: string } }) => void): void;
  destroy(): void;
}
export interface StripeJs {
  elements(): { create(type: 'card', options?: object): StripeCardElement };
  confirmCardSetup(
    clientSecret: string,
    data: { payment_method: { card: StripeCardElement } },
  ): Promise<{ setupIntent?: { status: string; payment_method: string | null }; error?: { message?: string; code?: string } }>;
}
declare global {
  interface Window {
    Stripe?: (publishableKey: string) => StripeJs;
  }
}

let loading: Promise<StripeJs> | undefined;

/** Loads Stripe.js once from STRIPE_JS_URL (tests: the emulator's stand-in) with the platform's publishable key. */
export function loadStripe(): Promise<StripeJs> {
  const { stripeJsUrl, stripePublishableKey } = consoleConfig();
  if (!stripePublishableKey) return Promise.reject(new Error('Card setup is not configured on this server (STRIPE_PUBLISHABLE_KEY).'));
  loading ??= new Promise<StripeJs>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = stripeJsUrl;
    script.async = true;
    script.onload = () => (window.Stripe ? resolve(window.Stripe(stripePublishableKey)) : reject(new Error('Stripe.js did not load')));
    script.onerror = () => {
      loading = undefined;
      reject(new Error('Stripe.js could not be loaded. Check your connection and try again.'));
    };
    document.head.appendChild(script);
  });
  return loading;
}
