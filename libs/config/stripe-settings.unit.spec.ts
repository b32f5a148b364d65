import { describe, it, expect } from '@jest/globals';
import { ConfigError, loadConfig as load } from './config.js';

/** Keys given, so nothing is generated into a data directory. */
const loadConfig = (env: Record<string, string>) => load({ OPERATOR_API_KEY: 'op_test_key_0123456789abcdef', ENCRYPTION_KEY: 'a'.repeat(64), ...env });

describe('Stripe settings', () => {
  it('defaults: the platform bears Stripe’s fee, the platform country is read from Stripe, no Connect secret', () => {
    const c = loadConfig({});
    expect(c.stripeFees).toEqual({ payer: 'platform' });
    expect(c.stripePlatformCountry).toBeUndefined();
    expect(c.stripeConnectWebhookSecret).toBeUndefined();
  });

  it('reads both webhook secrets, the platform country, and a company-borne fee', () => {
    const c = loadConfig({
      STRIPE_WEBHOOK_SECRET: 'whsec_account',
      STRIPE_CONNECT_WEBHOOK_SECRET: 'whsec_connect',
      STRIPE_PLATFORM_COUNTRY: 'de',
      STRIPE_FEE_PAYER: 'company',
      STRIPE_FEE_PERCENT: '2.9',
      STRIPE_FEE_FIXED: 'usd:30, EUR:25,jpy:0',
    });
    expect([c.stripeWebhookSecret, c.stripeConnectWebhookSecret, c.stripePlatformCountry]).toEqual(['whsec_account', 'whsec_connect', 'DE']);
    expect(c.stripeFees).toEqual({ payer: 'company', percent: '2.9', fixed: { usd: 30, eur: 25, jpy: 0 } });
  });

  it.each([
    ['STRIPE_FEE_PAYER', { STRIPE_FEE_PAYER: 'partner' }],
    ['STRIPE_FEE_PERCENT', { STRIPE_FEE_PAYER: 'company', STRIPE_FEE_FIXED: 'usd:30' }],
    ['STRIPE_FEE_PERCENT', { STRIPE_FEE_PAYER: 'company', STRIPE_FEE_PERCENT: '100', STRIPE_FEE_FIXED: 'usd:30' }],
    ['STRIPE_FEE_PERCENT', { STRIPE_FEE_PAYER: 'company', STRIPE_FEE_PERCENT: 'two', STRIPE_FEE_FIXED: 'usd:30' }],
    ['STRIPE_FEE_FIXED', { STRIPE_FEE_PAYER: 'company', STRIPE_FEE_PERCENT: '2.9' }],
    ['STRIPE_FEE_FIXED', { STRIPE_FEE_PAYER: 'company', STRIPE_FEE_PERCENT: '2.9', STRIPE_FEE_FIXED: 'usd:0.30' }],
    ['STRIPE_FEE_FIXED', { STRIPE_FEE_PAYER: 'company', STRIPE_FEE_PERCENT: '2.9', STRIPE_FEE_FIXED: 'dollars:30' }],
    ['STRIPE_FEE_FIXED', { STRIPE_FEE_PAYER: 'company', STRIPE_FEE_PERCENT: '2.9', STRIPE_FEE_FIXED: 'usd:30,usd:25' }],
    ['STRIPE_FEE_PERCENT', { STRIPE_FEE_PERCENT: '2.9' }],
    ['STRIPE_PLATFORM_COUNTRY', { STRIPE_PLATFORM_COUNTRY: 'XX' }],
  ])('names %s when it is invalid', (variable, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });
});
