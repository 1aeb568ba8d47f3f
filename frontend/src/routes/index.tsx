import { Suspense, lazy, type ReactElement } from 'react';
import { TopProgress } from '../components/TopProgress';
import { Outlet, createBrowserRouter, type RouteObject } from 'react-router';
import type { Permission } from '../features/auth/context';
import { RequireAuth } from '../features/auth/RequireAuth';
import { RequirePermission } from '../features/auth/RequirePermission';
import { OfficersOnly } from '../features/auth/OfficersOnly';

// Every screen is its own chunk: the first screen downloads only what it draws.
const SignInPage = lazy(() => import('../features/auth/SignInPage'));
const AppShell = lazy(() => import('../features/shell/AppShell'));
const OverviewPage = lazy(() => import('../features/overview/OverviewPage'));
const UnionTreePage = lazy(() => import('../features/unions/UnionTreePage'));
const UnionDetailPage = lazy(() => import('../features/unions/UnionDetailPage'));
const UnionListPage = lazy(() => import('../features/unions/UnionListPage'));
const UnionFoundPage = lazy(() => import('../features/unions/UnionFoundPage'));
const UnionActionPage = lazy(() => import('../features/unions/UnionActionPage'));
const MembersPage = lazy(() => import('../features/members/MembersPage'));
const MemberDetailPage = lazy(() => import('../features/members/MemberDetailPage'));
const MemberFormPage = lazy(() => import('../features/members/MemberFormPage'));
const TransfersPage = lazy(() => import('../features/members/TransfersPage'));
const TransferEscalationPage = lazy(() => import('../features/members/TransferEscalationPage'));
const EnterprisesPage = lazy(() => import('../features/enterprises/EnterprisesPage'));
const EnterpriseDetailPage = lazy(() => import('../features/enterprises/EnterpriseDetailPage'));
const EnterpriseFormPage = lazy(() => import('../features/enterprises/EnterpriseFormPage'));
const GapPage = lazy(() => import('../features/enterprises/GapPage'));
const CoursesPage = lazy(() => import('../features/training/CoursesPage'));
const CourseDetailPage = lazy(() => import('../features/training/CourseDetailPage'));
const DuePage = lazy(() => import('../features/training/DuePage'));
const CompliancePage = lazy(() => import('../features/training/CompliancePage'));
const SpendingPage = lazy(() => import('../features/training/SpendingPage'));
const ImportPage = lazy(() => import('../features/imports/ImportPage'));
const EvaluationsPage = lazy(() => import('../features/evaluations/EvaluationsPage'));
const RoundPage = lazy(() => import('../features/evaluations/RoundPage'));
const EvaluationPage = lazy(() => import('../features/evaluations/EvaluationPage'));
const ResultsPage = lazy(() => import('../features/evaluations/ResultsPage'));
const UsersPage = lazy(() => import('../features/users/UsersPage'));
const AuditPage = lazy(() => import('../features/audit/AuditPage'));
const ClientsPage = lazy(() => import('../features/clients/ClientsPage'));
const ClientPage = lazy(() => import('../features/clients/ClientPage'));
const ProgrammesPage = lazy(() => import('../features/programmes/ProgrammesPage'));
const ProgrammePage = lazy(() => import('../features/programmes/ProgrammePage'));
const ProgrammeEditPage = lazy(() => import('../features/programmes/ProgrammeEditPage'));
const IndicatorRecordsPage = lazy(() => import('../features/programmes/IndicatorRecordsPage'));
const ReportsPage = lazy(() => import('../features/reports/ReportsPage'));
const RequestPage = lazy(() => import('../features/reports/RequestPage'));
const ReportPage = lazy(() => import('../features/reports/ReportPage'));
const TemplatesPage = lazy(() => import('../features/reports/TemplatesPage'));
const ChangeRequestsPage = lazy(() => import('../features/members/ChangeRequestsPage'));
const ActivatePage = lazy(() => import('../features/selfservice/ActivatePage'));
const MemberArea = lazy(() => import('../features/selfservice/MemberArea'));
const MyProfilePage = lazy(() => import('../features/selfservice/MyProfilePage'));
const MyCardPage = lazy(() => import('../features/selfservice/MyCardPage'));
const MyTransferPage = lazy(() => import('../features/selfservice/MyTransferPage'));
const CardPrintPage = lazy(() => import('../features/cards/CardPrintPage'));
const RosterPrintPage = lazy(() => import('../features/training/RosterPrintPage'));
const CardSheetPage = lazy(() => import('../features/cards/CardSheetPage'));
const NotFoundPage = lazy(() => import('./NotFoundPage'));
const RouteError = lazy(() => import('./RouteError').then((m) => ({ default: m.RouteError })));

/** Routes behind one permission (a direct link shows "access denied" instead of the screen). */
function guarded(permission: Permission, pages: [string, ReactElement][]): RouteObject[] {
  return pages.map(([path, element]) => ({
    path,
    element: <RequirePermission permission={permission}>{element}</RequirePermission>,
  }));
}

export const routes: RouteObject[] = [
  {
    path: '/signin',
    element: (
      <Suspense fallback={<TopProgress />}>
        <SignInPage />
      </Suspense>
    ),
  },
  {
    path: '/activate',
    element: (
      <Suspense fallback={<TopProgress />}>
        <ActivatePage />
      </Suspense>
    ),
  },
  {
    // A member's own account: their profile, card and transfer request.
    path: '/me',
    element: (
      <RequireAuth>
        <Suspense fallback={<TopProgress />}>
          <MemberArea />
        </Suspense>
      </RequireAuth>
    ),
    children: [
      { index: true, element: <MyProfilePage /> },
      { path: 'card', element: <MyCardPage /> },
      { path: 'transfer', element: <MyTransferPage /> },
    ],
  },
  {
    // Pages laid out for printing, without the shell.
    path: '/print',
    element: (
      <RequireAuth>
        <OfficersOnly>
          <Suspense fallback={<TopProgress />}>
            <RequirePermission permission="members:read">
              <Outlet />
            </RequirePermission>
          </Suspense>
        </OfficersOnly>
      </RequireAuth>
    ),
    children: [
      { path: 'members/:memberId/card', element: <CardPrintPage /> },
      { path: 'unions/:unionId/cards', element: <CardSheetPage /> },
      {
        path: 'training/courses/:courseId/roster',
        element: (
          <RequirePermission permission="training:read">
            <RosterPrintPage />
          </RequirePermission>
        ),
      },
    ],
  },
  {
    path: '/',
    errorElement: (
      <Suspense fallback={null}>
        <RouteError />
      </Suspense>
    ),
    element: (
      <RequireAuth>
        <OfficersOnly>
          <Suspense fallback={<TopProgress />}>
            <AppShell />
          </Suspense>
        </OfficersOnly>
      </RequireAuth>
    ),
    children: [
      { index: true, element: <OverviewPage /> },
      { path: 'unions', element: <UnionTreePage /> },
      { path: 'unions/new', element: <UnionFoundPage /> },
      { path: 'unions/list', element: <UnionListPage /> },
      { path: 'unions/:unionId', element: <UnionDetailPage /> },
      { path: 'unions/:unionId/:action', element: <UnionActionPage /> },
      { path: 'programmes', element: <ProgrammesPage /> },
      { path: 'programmes/:programmeId', element: <ProgrammePage /> },
      ...guarded('programmes:write', [
        ['programmes/new', <ProgrammeEditPage />],
        ['programmes/:programmeId/edit', <ProgrammeEditPage />],
      ]),
      { path: 'indicators/:key/records', element: <IndicatorRecordsPage /> },
      ...guarded('members:read', [
        ['members', <MembersPage />],
        ['members/new', <MemberFormPage />],
        ['members/:memberId', <MemberDetailPage />],
        ['members/:memberId/edit', <MemberFormPage />],
        ['transfers', <TransfersPage />],
        ['member-requests', <ChangeRequestsPage />],
      ]),
      ...guarded('enterprises:read', [
        ['enterprises', <EnterprisesPage />],
        ['enterprises/new', <EnterpriseFormPage />],
        ['enterprises/gap', <GapPage />],
        ['enterprises/:enterpriseId', <EnterpriseDetailPage />],
        ['enterprises/:enterpriseId/edit', <EnterpriseFormPage />],
      ]),
      ...guarded('training:read', [
        ['training/courses', <CoursesPage />],
        ['training/courses/:courseId', <CourseDetailPage />],
        ['training/due', <DuePage />],
        ['training/compliance', <CompliancePage />],
        ['training/spending', <SpendingPage />],
      ]),
      ...guarded('members:write', [
        ['imports', <ImportPage />],
        ['transfers/settings', <TransferEscalationPage />],
      ]),
      ...guarded('reports:read', [
        ['reports', <ReportsPage />],
        ['reports/requests/:requestId', <RequestPage />],
        ['reports/:reportId', <ReportPage />],
      ]),
      ...guarded('report_templates:manage', [['reports/templates', <TemplatesPage />]]),
      ...guarded('clients:manage', [
        ['clients', <ClientsPage />],
        ['clients/:clientId', <ClientPage />],
      ]),
      ...guarded('evaluations:read', [
        ['evaluations', <EvaluationsPage />],
        ['evaluations/results', <ResultsPage />],
        ['evaluations/rounds/:roundId', <RoundPage />],
        ['evaluations/:evaluationId', <EvaluationPage />],
      ]),
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
