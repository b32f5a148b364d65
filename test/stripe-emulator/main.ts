import { startStripeEmulator } from './index.js';

const port = Number(process.env.STRIPE_EMULATOR_PORT ?? process.argv[2] ?? 12111);
const emulator = await startStripeEmulator({ port, host: process.env.STRIPE_EMULATOR_HOST ?? '127.0.0.1' });
console.log(`Stripe emulator listening on ${emulator.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.close().then(() => process.exit(0));
  });
}
