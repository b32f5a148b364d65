import { useRouteError } from 'react-router';

/** What a page shows when its code fails, instead of a blank screen. */
export function CrashPage() {
  const error = useRouteError();
  return (
    <main className="auth-page" id="main">
      <div className="auth-card" role="alert">
        <h1>Something went wrong</h1>
        <p className="muted">This page failed to show. Reloading usually helps; if it does not, tell your operator what you were doing.</p>
        <pre>{error instanceof Error ? error.message : String(error)}</pre>
        <button type="button" className="btn btn-primary" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    </main>
  );
}
