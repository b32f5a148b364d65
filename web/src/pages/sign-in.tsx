import { useEffect, useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { Button } from '../components/button';
import { errorFor, TextField } from '../components/fields';
import { FormError, Loading } from '../components/states';
import { homeOf, useSession, useSignIn } from '../session/session';

/** `/`: sign in with an admin or partner API key; a signed-in user goes straight to their home. */
export function SignInPage() {
  const session = useSession();
  const signIn = useSignIn();
  const navigate = useNavigate();
  const location = useLocation();
  const [apiKey, setApiKey] = useState('');
  useEffect(() => {
    document.title = 'Sign in · Partnerflow';
  }, []);

  if (session.isPending) return <Loading label="Checking your session" />;
  if (session.data && !signIn.isPending) return <Navigate to={homeOf(session.data)} replace />;

  const from = (location.state as { from?: string } | null)?.from;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate({ apiKey: apiKey.trim() }, { onSuccess: (s) => navigate(from && from.startsWith(homeOf(s)) ? from : homeOf(s), { replace: true }) });
  };
  return (
    <main className="auth-page" id="main">
      <div className="auth-card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            P
          </span>
          <span className="brand-name">Partnerflow</span>
        </div>
        <h1>Sign in</h1>
        <p className="muted">Use your company’s admin API key, or your partner API key. Partners can also open the sign-in link their company sends them.</p>
        <form onSubmit={submit} noValidate>
          <TextField
            label="API key"
            name="apiKey"
            type="password"
            autoComplete="off"
            spellCheck={false}
            required
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            error={errorFor(signIn.error, 'apiKey')}
            hint="Starts with pf_admin_ or pf_partner_. It was shown once when the company or partner was created."
          />
          <FormError error={signIn.error} fields={['apiKey']} />
          <Button type="submit" busy={signIn.isPending} disabled={!apiKey.trim()} className="btn-block">
            Sign in
          </Button>
        </form>
      </div>
    </main>
  );
}
