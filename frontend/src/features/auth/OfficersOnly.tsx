import type { ReactNode } from 'react';
import { Navigate } from 'react-router';
import { useAuth } from './context';

/** The officers' screens: a member signed in to their own account goes to their own area. */
export function OfficersOnly({ children }: { children: ReactNode }) {
  const { me } = useAuth();
  if (me?.kind === 'member') return <Navigate to="/me" replace />;
  return <>{children}</>;
}
