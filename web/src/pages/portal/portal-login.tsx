import { useEffect, useRef } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useSignIn } from '../../session/session';
import { Loading, problemMessage } from '../../components/states';

/** `/portal/login?token=…`: the one-time link from the company; the token becomes a session cookie. */
export default function PortalLoginPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const signIn = useSignIn();
  const navigate = useNavigate();
  const started = useRef(false);
  useEffect(() => {
    document.title = 'Signing in · Partnerflow';
    if (started.current || !token) return;
    started.current = true;
    signIn.mutate({ loginToken: token }, { onSuccess: () => navigate('/portal', { replace: true }) });
  }, [token, signIn, navigate]);

  if (token && !signIn.isError) return <Loading label="Signing you in" />;
  return (
    <main className="auth-page" id="main">
      <div className="auth-card">
        <h1>This sign-in link does not work</h1>
        <p role="alert">{token ? problemMessage(signIn.error) : 'The link has no token: open the whole link from the message you received.'}</p>
        <p className="muted">Sign-in links work once and for 24 hours. Ask your company for a new one, or sign in with your partner API key.</p>
        <Link to="/">Sign in with an API key</Link>
      </div>
    </main>
  );
}
