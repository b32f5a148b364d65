import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

type Request = { id: number; op: string; args: unknown };
type Reply = { id: number; ok: true; out: unknown } | { id: number; ok: false; error: string };

export interface Worker {
  call<O>(op: string, args?: unknown): Promise<O>;
  stop(): Promise<void>;
}

/**
 * A measurement process: the parent calls its operations one at a time and it answers their results.
 * Separate processes keep libraries from changing each other's globals (emmett's dumbo sets
 * process-wide pg type parsers) and let contenders run in interleaved slices, so a noisy neighbour
 * costs all of them alike.
 */
export function spawnWorker(file: URL, timeoutMs = 300_000): Worker {
  const child = fork(file, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  let next = 0;
  child.on('message', (reply: Reply) => {
    const p = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) p?.ok(reply.out);
    else p?.fail(new Error(reply.error));
  });
  child.on('exit', (code) => {
    for (const p of pending.values()) p.fail(new Error(`${file.pathname} exited with ${code}`));
    pending.clear();
  });
  return {
    call<O>(op: string, args?: unknown): Promise<O> {
      const id = next++;
      return new Promise<O>((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`${file.pathname} ${op} timed out after ${timeoutMs} ms`)), timeoutMs);
        pending.set(id, { ok: (v) => (clearTimeout(timer), ok(v as O)), fail: (e) => (clearTimeout(timer), fail(e)) });
        child.send({ id, op, args } satisfies Request);
      });
    },
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/** The worker side of `spawnWorker`: runs each requested operation in turn. */
export function workerMain(ops: Record<string, (args: any) => Promise<unknown>>): void {
  let queue = Promise.resolve();
  process.on('message', (req: Request) => {
    queue = queue.then(async () => {
      try {
        const op = ops[req.op];
        if (!op) throw new Error(`unknown operation ${req.op}`);
        process.send!({ id: req.id, ok: true, out: await op(req.args) } satisfies Reply);
      } catch (e) {
        process.send!({ id: req.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies Reply);
      }
    });
  });
}

/** A server in its own process (the app, the bare baseline): started, measured from outside, stopped. */
export interface ServerChild {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function startServerChild(file: URL, input: object, timeoutMs = 60_000): Promise<ServerChild> {
  const child = fork(file, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${file.pathname} did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code) => fail(new Error(`${file.pathname} exited with ${code} while starting`)));
    child.once('message', (m: { url?: string; error?: string }) => {
      clearTimeout(timer);
      if (!m.url) return fail(new Error(m.error ?? 'no url'));
      child.removeAllListeners('exit');
      ok({
        url: m.url,
        process: child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
            child.once('exit', () => {
              clearTimeout(kill);
              done();
            });
            child.send('stop');
          }),
      });
    });
    child.send(input);
  });
}

/** Serves `start(input)` until the parent says stop. */
export function serverMain<I>(start: (input: I) => Promise<{ url: string; close(): Promise<void> }>): void {
  process.once('message', (input: I) => {
    start(input).then(
      (server) => {
        process.on('message', (m) => {
          if (m === 'stop') void server.close().finally(() => process.exit(0));
        });
        process.send!({ url: server.url });
      },
      (e: unknown) => process.send!({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) }, () => process.exit(1)),
    );
  });
}

/** Resident set size of a process in MB (Linux /proc), or NaN where that is not readable. */
export function rssMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${field}:`));
    return line ? Number(line.split(/\s+/)[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; answers the peak. */
export function sampleRss(pid: number, everyMs = 50): { stop(): number } {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    const now = rssMb(pid);
    if (now > peak || Number.isNaN(peak)) peak = now;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssMb(pid));
    },
  };
}
