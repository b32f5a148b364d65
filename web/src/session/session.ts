import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { currentSession, signIn, signOut, type SessionResponse } from '@partnerflow/client';
import { unwrap } from '../api/client';
import { ProblemError } from '../api/problem';

export const SESSION_KEY = ['session'] as const;
export type Session = SessionResponse;

/** Who the session cookie signs in, or null (no session, or it ended). */
export function useSession() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async (): Promise<Session | null> => {
      try {
        return await unwrap(currentSession());
      } catch (e) {
        if (e instanceof ProblemError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
  });
}

export function useSignIn() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (credentials: { apiKey: string } | { loginToken: string }) => unwrap(signIn({ body: credentials })),
    onSuccess: (session) => {
      queries.clear();
      queries.setQueryData(SESSION_KEY, session);
    },
  });
}

export function useSignOut() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(signOut()),
    onSettled: () => {
      queries.clear();
      queries.setQueryData(SESSION_KEY, null);
    },
  });
}

export const homeOf = (session: Session): string => (session.role === 'partner' ? '/portal' : '/admin');
