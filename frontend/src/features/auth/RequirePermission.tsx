import { Suspense, lazy, type ReactNode } from 'react';
import { useAuth, type Permission } from './context';

// Loaded only when it is shown: it brings antd's Result illustrations, which the first page
// (sign-in) must not download.
const ForbiddenState = lazy(() =>
  import('../../components/states').then((m) => ({ default: m.ForbiddenState })),
);

export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { can } = useAuth();
  if (can(permission)) return <>{children}</>;
  return (
    <Suspense fallback={null}>
      <ForbiddenState />
    </Suspense>
  );
}
