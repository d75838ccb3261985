import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { createClient, type ApiClient } from '../api/client';
import type { Me } from '../api/types';
import { ErrorMessage } from '../ui/error-message';
import { Loading } from '../ui/loading';
import { SignInPage } from './sign-in-page';

const STORAGE_KEY = 'stockbridge.apiKey';

export interface Session {
  readonly me: Me;
  readonly client: ApiClient;
  /** Read-only keys get 403 on every write: the dashboard does not offer them one. */
  readonly canWrite: boolean;
  signOut(): void;
}

const SessionContext = createContext<Session | null>(null);

/**
 * Signed in means an API key in sessionStorage (this tab only, gone when it closes) that
 * GET /v1/me accepts. Any 401 later (a revoked key) forgets the key and shows sign-in again.
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [key, setKey] = useState(() => sessionStorage.getItem(STORAGE_KEY));
  const [ended, setEnded] = useState(false);

  const forget = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    setKey(null);
    queryClient.clear();
  }, [queryClient]);
  const onUnauthorized = useCallback(() => {
    setEnded(true);
    forget();
  }, [forget]);
  const client = useMemo(() => (key ? createClient(key, onUnauthorized) : null), [key, onUnauthorized]);
  const me = useQuery({ queryKey: ['me'], queryFn: () => client!.get<Me>('/v1/me'), enabled: client !== null, staleTime: 60_000 });

  if (!key || !client) {
    return (
      <SignInPage
        notice={ended ? 'signIn.ended' : null}
        onSignedIn={(newKey, who) => {
          sessionStorage.setItem(STORAGE_KEY, newKey);
          queryClient.setQueryData(['me'], who);
          setEnded(false);
          setKey(newKey);
        }}
      />
    );
  }
  if (me.isPending) return <Loading page />;
  if (me.isError) return <ErrorMessage error={me.error} onRetry={() => void me.refetch()} />;
  const session: Session = { me: me.data, client, canWrite: me.data.key.role !== 'read-only', signOut: forget };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionGate');
  return session;
}
