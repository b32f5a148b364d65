import type { ComponentType } from 'react';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, Navigate } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { ProblemError } from './api/problem';
import { RequireRole } from './session/require-role';
import { SESSION_KEY } from './session/session';
import { SignInPage } from './pages/sign-in';
import { NotFoundPage } from './pages/not-found';
import { CrashPage } from './pages/crash';
import { Loading } from './components/states';
import { preload, useLoaded } from './lib/use-loaded';

// the area's code starts loading with the page, beside the session check, not after it
const loadAdmin = preload(() => import('./pages/admin/admin-routes'));
const loadPortal = preload(() => import('./pages/portal/portal-routes'));
if (location.pathname.startsWith('/admin')) void loadAdmin();
if (location.pathname.startsWith('/portal/') || location.pathname === '/portal') void loadPortal();

function Area({ load }: { load: () => Promise<{ default: ComponentType }> }) {
  const module = useLoaded(load());
  return module ? <module.default /> : <Loading label="Loading the page" />;
}
const loadPortalLogin = preload(() => import('./pages/portal/portal-login'));

const queryClient: QueryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // a 4xx will not change on its own; a network error or 5xx may
      retry: (count, error) => count < 2 && (!(error instanceof ProblemError) || error.status === 0 || error.status >= 500),
    },
  },
  queryCache: new QueryCache({
    // a session that ended (signed out elsewhere, key rotated) sends the user back to sign-in
    onError: (error, query) => {
      if (error instanceof ProblemError && error.status === 401 && query.queryKey[0] !== SESSION_KEY[0]) queryClient.setQueryData(SESSION_KEY, null);
    },
  }),
  // every change is a new event on some resource's history
  mutationCache: new MutationCache({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['audit'] }) }),
});

const router = createBrowserRouter([
  {
    errorElement: <CrashPage />,
    children: [
      { path: '/', element: <SignInPage /> },
      { path: '/portal/login', element: <Area load={loadPortalLogin} /> },
      {
        path: '/admin/*',
        element: (
          <RequireRole role="admin">
            <Area load={loadAdmin} />
          </RequireRole>
        ),
      },
      {
        path: '/portal/*',
        element: (
          <RequireRole role="partner">
            <Area load={loadPortal} />
          </RequireRole>
        ),
      },
      { path: '/sign-in', element: <Navigate to="/" replace /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
