import { createContext, useContext } from 'react';
import type { ApiClient } from '../api/client.js';
import type { Me } from '../api/types.js';
import type { Permissions } from '../logic/permissions.js';

export interface Session {
  api: ApiClient;
  me: Me;
  permissions: Permissions;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}
