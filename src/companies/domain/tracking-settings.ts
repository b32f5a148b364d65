/** How a company's referral links and tracking script behave (SPEC §10). */
export interface TrackingSettings {
  /** Where `GET /r/{referralKey}` sends visitors; null until the company sets it. */
  landingUrl: string | null;
  /** How long the script keeps the click id in its first-party cookie. */
  cookieDays: number;
  /** Which click the cookie keeps when a visitor comes through several links. */
  model: 'last_click' | 'first_click';
  /** Origins (`scheme://host[:port]`) whose pages may call the tracking endpoints. */
  allowedOrigins: string[];
}

export const DEFAULT_TRACKING: TrackingSettings = { landingUrl: null, cookieDays: 60, model: 'last_click', allowedOrigins: [] };
export const TRACKING_MODELS = ['last_click', 'first_click'] as const;
export const MAX_ALLOWED_ORIGINS = 20;
export { httpUrl, normalizeOrigin, MAX_URL_LENGTH } from '../../../libs/http/http-url.js';
