import { useEffect, useState } from 'react';

const settled = new WeakMap<Promise<unknown>, { value: unknown }>();

/**
 * The value of a code-split module once it has loaded (undefined before). Unlike React.lazy it does not
 * suspend, so an already loaded chunk shows at once: React holds a revealed Suspense boundary back for
 * up to 300 ms after its fallback appeared, which cost the dashboard that much on every cold load.
 */
export function useLoaded<T>(promise: Promise<T>): T | undefined {
  const known = settled.get(promise) as { value: T } | undefined;
  const [value, setValue] = useState<T | undefined>(known?.value);
  useEffect(() => {
    let live = true;
    void promise.then((v) => {
      settled.set(promise, { value: v });
      if (live) setValue(() => v);
    });
    return () => {
      live = false;
    };
  }, [promise]);
  return known?.value ?? value;
}

/** A module import started once, on first use (or earlier, to load beside other work). */
export function preload<T>(load: () => Promise<T>): () => Promise<T> {
  let started: Promise<T> | undefined;
  return () => (started ??= load());
}
