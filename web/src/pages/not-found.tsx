import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <main className="auth-page" id="main">
      <div className="auth-card">
        <h1>Page not found</h1>
        <p className="muted">There is nothing at this address.</p>
        <Link to="/">Go to the start page</Link>
      </div>
    </main>
  );
}
