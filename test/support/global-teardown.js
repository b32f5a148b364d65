import { rmSync } from 'node:fs';

export default async function globalTeardown() {
  const handle = globalThis.__PF_PG__;
  if (!handle) return;
  await handle.pg.stop();
  rmSync(handle.dir, { recursive: true, force: true });
}
