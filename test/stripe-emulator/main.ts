import { startStripeEmulator } from './index.js';

const port = Number(process.env.STRIPE_EMULATOR_PORT ?? process.argv[2] ?? 12111);
const emulator = await startStripeEmulator({ port, host: process.env.STRIPE_EMULATOR_HOST ?? '127.0.0.1' });
console.log(`Stripe emulator listening on ${emulator.url}; Stripe.js stand-in at ${emulator.stripeJsUrl}`);
// e.g. STRIPE_EMULATOR_FORWARD_TO=http://127.0.0.1:3000 with the app's STRIPE_WEBHOOK_SECRET and STRIPE_CONNECT_WEBHOOK_SECRET
const forwardTo = process.env.STRIPE_EMULATOR_FORWARD_TO;
if (forwardTo) {
  emulator.forwardEvents({
    platform: { url: `${forwardTo}/v1/webhooks/stripe-platform`, secret: process.env.STRIPE_EMULATOR_FORWARD_SECRET ?? 'whsec_partnerflow_dev' },
    connect: { url: `${forwardTo}/v1/webhooks/stripe-connect`, secret: process.env.STRIPE_EMULATOR_FORWARD_CONNECT_SECRET ?? 'whsec_partnerflow_connect_dev' },
  });
  console.log(`forwarding the platform's events to ${forwardTo}/v1/webhooks/stripe-platform and connected accounts' to …/stripe-connect`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.close().then(() => process.exit(0));
  });
}
