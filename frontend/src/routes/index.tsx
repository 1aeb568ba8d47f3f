import { Suspense, lazy } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { RequireAuth } from '../features/auth/RequireAuth';
import { RequirePermission } from '../features/auth/RequirePermission';
import { RouteError } from './RouteError';

// Every screen is its own chunk: the first screen downloads only what it draws.
const SignInPage = lazy(() => import('../features/auth/SignInPage'));
const AppShell = lazy(() => import('../features/shell/AppShell'));
const OverviewPage = lazy(() => import('../features/overview/OverviewPage'));
const UnionTreePage = lazy(() => import('../features/unions/UnionTreePage'));
const UnionDetailPage = lazy(() => import('../features/unions/UnionDetailPage'));
const UnionFoundPage = lazy(() => import('../features/unions/UnionFoundPage'));
const UnionActionPage = lazy(() => import('../features/unions/UnionActionPage'));
const UsersPage = lazy(() => import('../features/users/UsersPage'));
const AuditPage = lazy(() => import('../features/audit/AuditPage'));
const NotFoundPage = lazy(() => import('./NotFoundPage'));

export const routes: RouteObject[] = [
  {
    path: '/signin',
    element: (
      <Suspense fallback={null}>
        <SignInPage />
      </Suspense>
    ),
  },
  {
    path: '/',
    errorElement: <RouteError />,
    element: (
      <RequireAuth>
        <Suspense fallback={null}>
          <AppShell />
        </Suspense>
      </RequireAuth>
    ),
    children: [
      { index: true, element: <OverviewPage /> },
      { path: 'unions', element: <UnionTreePage /> },
      { path: 'unions/new', element: <UnionFoundPage /> },
      { path: 'unions/:unionId', element: <UnionDetailPage /> },
      { path: 'unions/:unionId/:action', element: <UnionActionPage /> },
      {
        path: 'users',
        element: (
          <RequirePermission permission="users:manage">
            <UsersPage />
          </RequirePermission>
        ),
      },
      {
        path: 'audit',
        element: (
          <RequirePermission permission="audit:read">
            <AuditPage />
          </RequirePermission>
        ),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
