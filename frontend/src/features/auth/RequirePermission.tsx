import type { ReactNode } from 'react';
import { ForbiddenState } from '../../components/states';
import { useAuth, type Permission } from './context';

export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { can } = useAuth();
  return can(permission) ? <>{children}</> : <ForbiddenState />;
}
