import { createContext, useContext } from 'react';
import type { Schemas } from '../../api/client';
import type { AnyErrorCode } from '../../i18n/errorParams';

export type Me = Schemas['Me'];
export type Permission = Schemas['Permission'];

export interface Auth {
  status: 'loading' | 'signedIn' | 'signedOut';
  me: Me | null;
  /** Why the user was signed out (an API error code), shown on the sign-in page. */
  reason: AnyErrorCode | null;
  /** `warm` runs as soon as the token is in, while the user's profile loads (prefetching). */
  signIn: (username: string, password: string, warm?: () => void) => Promise<void>;
  signOut: () => Promise<void>;
  can: (permission: Permission) => boolean;
}

export const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
