import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ErrorState, Loading } from '../components/states';
import { homeOf, useSession } from './session';

/** The admin console needs an admin session, the portal a partner's; anyone else goes to sign-in (or home). */
export function RequireRole({ role, children }: { role: 'admin' | 'partner'; children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading label="Checking your session" />;
  if (session.isError) return <ErrorState error={session.error} onRetry={() => void session.refetch()} />;
  if (!session.data) return <Navigate to="/" replace state={{ from: location.pathname + location.search }} />;
  if (session.data.role !== role) return <Navigate to={homeOf(session.data)} replace />;
  return <>{children}</>;
}
