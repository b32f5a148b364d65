import type { ReactNode } from 'react';
import { ProblemError } from '../api/problem';

export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}…</span>
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children && <div className="state-body">{children}</div>}
    </div>
  );
}

export function problemMessage(error: unknown): string {
  if (error instanceof ProblemError) return error.message;
  return error instanceof Error ? error.message : 'Something went wrong.';
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const status = error instanceof ProblemError ? error.status : 0;
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{status === 404 ? 'Not found' : 'This could not be loaded'}</p>
      <p className="state-body">{problemMessage(error)}</p>
      {onRetry && status !== 404 && (
        <button type="button" className="btn btn-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** One of loading, error, empty or the content, for a query's state. */
export function QueryView<T>({
  query,
  isEmpty,
  empty,
  children,
  label,
}: {
  query: { isPending: boolean; isError: boolean; error: unknown; data: T | undefined; refetch: () => unknown };
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  label?: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading label={label} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const data = query.data as T;
  if (isEmpty?.(data)) return <>{empty ?? <Empty title="Nothing here yet" />}</>;
  return <>{children(data)}</>;
}

/** A form's message that names no field (or a field the form does not show). */
export function FormError({ error, fields = [] }: { error: unknown; fields?: readonly string[] }) {
  if (!error) return null;
  const message = error instanceof ProblemError ? error.generalMessage(fields) : problemMessage(error);
  if (!message) return null;
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}
