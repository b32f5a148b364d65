import type { ReactNode } from 'react';

/** A success or information message, announced politely. */
export function Notice({ tone = 'success', children }: { tone?: 'success' | 'info' | 'warning'; children: ReactNode }) {
  return (
    <div className={`notice notice-${tone}`} role="status" aria-live="polite">
      {children}
    </div>
  );
}
