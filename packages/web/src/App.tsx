import { App as AntApp, ConfigProvider, Grid, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AuthProvider, useAuth } from './auth/AuthContext';
import { homePath, RequireAuth, RequireConsole, RequirePermission, RequirePortal } from './auth/guards';
import { FullPageSpin, LoadingBlock } from './components/states';
import { isZh } from './lib/labels';

// Every module is its own chunk: the sign-in page loads none of the console's pages.
const LoginPage = lazy(() => import('./pages/login/LoginPage'));
const ChangePasswordPage = lazy(() => import('./pages/account/ChangePasswordPage'));
const ConsoleLayout = lazy(() => import('./layout/ConsoleLayout'));
const DashboardPage = lazy(() => import('./pages/dashboard/DashboardPage'));
const RegionsPage = lazy(() => import('./pages/regions/RegionsPage'));
const ResidentsPage = lazy(() => import('./pages/residents/ResidentsPage'));
const TransferPage = lazy(() => import('./pages/transfer/TransferPage'));
const UsersPage = lazy(() => import('./pages/users/UsersPage'));
const AuditPage = lazy(() => import('./pages/audit/AuditPage'));
const PortalLayout = lazy(() => import('./pages/portal/PortalLayout'));
const MyHouseholdPage = lazy(() => import('./pages/portal/MyHouseholdPage'));
const MyDetailsPage = lazy(() => import('./pages/portal/MyDetailsPage'));
const ChangePhonePage = lazy(() => import('./pages/portal/ChangePhonePage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));
const PlacesPage = lazy(() => import('./pages/places/PlacesPage'));
const DevicesPage = lazy(() => import('./pages/places/DevicesPage'));
const PlaceScanPage = lazy(() => import('./pages/places/PlaceScanPage'));
const CheckpointPage = lazy(() => import('./pages/checkpoint/CheckpointPage'));
const MyPassCodePage = lazy(() => import('./pages/portal/MyPassCodePage'));
const PortalPlaceRedirect = lazy(() => import('./pages/portal/PortalPlaceRedirect'));
const ScreeningPage = lazy(() => import('./pages/screening/ScreeningPage'));
const CampaignDetailPage = lazy(() => import('./pages/screening/CampaignDetailPage'));
const FieldLayout = lazy(() => import('./pages/screening/field/FieldLayout'));
const FieldHomePage = lazy(() => import('./pages/screening/field/FieldHomePage'));
const FieldHouseholdsPage = lazy(() => import('./pages/screening/field/FieldHouseholdsPage'));
const VisitFormPage = lazy(() => import('./pages/screening/field/VisitFormPage'));
const FieldSyncPage = lazy(() => import('./pages/screening/field/FieldSyncPage'));
const HealthPage = lazy(() => import('./pages/health/HealthPage'));
const TasksPage = lazy(() => import('./pages/tasks/TasksPage'));
const InboxPage = lazy(() => import('./pages/inbox/InboxPage'));
const WhistlesPage = lazy(() => import('./pages/whistles/WhistlesPage'));
const WhistleDetailPage = lazy(() => import('./pages/whistles/WhistleDetailPage'));
const DepartmentsPage = lazy(() => import('./pages/departments/DepartmentsPage'));
const PerformancePage = lazy(() => import('./pages/performance/PerformancePage'));
const NotificationsPage = lazy(() => import('./pages/notifications/NotificationsPage'));
const ReportsPage = lazy(() => import('./pages/reports/ReportsPage'));
const MyRequestsPage = lazy(() => import('./pages/portal/MyRequestsPage'));
const ArrivalsPage = lazy(() => import('./pages/arrivals/ArrivalsPage'));
const MeasuresPage = lazy(() => import('./pages/measures/MeasuresPage'));
const MyMeasuresPage = lazy(() => import('./pages/portal/MyMeasuresPage'));
const MyHealthPage = lazy(() => import('./pages/portal/MyHealthPage'));
const MyArrivalPage = lazy(() => import('./pages/portal/MyArrivalPage'));
const ProtocolPage = lazy(() => import('./pages/protocol/ProtocolPage'));
const CasesPage = lazy(() => import('./pages/cases/CasesPage'));
const CaseDetailPage = lazy(() => import('./pages/cases/CaseDetailPage'));
const TracingPage = lazy(() => import('./pages/tracing/TracingPage'));
const CaseTracingPage = lazy(() => import('./pages/tracing/CaseTracingPage'));

function Page({ children }: { children: ReactNode }) {
  return <Suspense fallback={<LoadingBlock rows={8} card />}>{children}</Suspense>;
}

function Home() {
  const { me } = useAuth();
  return <Navigate to={homePath(me?.role)} replace />;
}

function AppRoutes() {
  return (
    <Suspense fallback={<FullPageSpin />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        {/* What a place poster's QR opens: public, signed in or not. */}
        <Route path="/p/:code" element={<Page><PlaceScanPage /></Page>} />
        <Route
          path="/change-password"
          element={
            <RequireAuth allowPasswordChange>
              <ChangePasswordPage />
            </RequireAuth>
          }
        />
        <Route
          path="/portal"
          element={
            <RequireAuth>
              <RequirePortal>
                <PortalLayout />
              </RequirePortal>
            </RequireAuth>
          }
        >
          <Route index element={<Page><MyHouseholdPage /></Page>} />
          <Route path="me" element={<Page><MyDetailsPage /></Page>} />
          <Route path="phone" element={<Page><ChangePhonePage /></Page>} />
          <Route path="code" element={<Page><MyPassCodePage /></Page>} />
          <Route path="p/:code" element={<Page><PortalPlaceRedirect /></Page>} />
          <Route path="health" element={<Page><MyHealthPage /></Page>} />
          <Route path="arrival" element={<Page><MyArrivalPage /></Page>} />
          <Route path="measures" element={<Page><MyMeasuresPage /></Page>} />
          <Route path="requests" element={<Page><MyRequestsPage /></Page>} />
        </Route>
        {/* The grid worker's field app: its own phone-first shell, which also starts offline (it guards itself). */}
        <Route path="/field" element={<FieldLayout />}>
          <Route index element={<FieldHomePage />} />
          <Route path="sync" element={<FieldSyncPage />} />
          <Route path=":campaignId" element={<FieldHouseholdsPage />} />
          <Route path=":campaignId/:householdId" element={<VisitFormPage />} />
        </Route>
        <Route
          element={
            <RequireAuth>
              <RequireConsole>
                <ConsoleLayout />
              </RequireConsole>
            </RequireAuth>
          }
        >
          <Route index element={<Home />} />
          <Route path="dashboard" element={<Page><DashboardPage /></Page>} />
          <Route path="regions" element={<Page><RequirePermission any={['region.read']}><RegionsPage /></RequirePermission></Page>} />
          <Route path="regions/:code" element={<Page><RequirePermission any={['region.read']}><RegionsPage /></RequirePermission></Page>} />
          <Route path="residents" element={<Page><RequirePermission any={['resident.read']}><ResidentsPage /></RequirePermission></Page>} />
          <Route path="tasks" element={<Page><RequirePermission any={['task.read']}><TasksPage /></RequirePermission></Page>} />
          <Route path="health" element={<Page><RequirePermission any={['health.read']}><HealthPage /></RequirePermission></Page>} />
          <Route path="arrivals" element={<Page><RequirePermission any={['arrival.read']}><ArrivalsPage /></RequirePermission></Page>} />
          <Route path="measures" element={<Page><RequirePermission any={['measure.read', 'appeal.read']}><MeasuresPage /></RequirePermission></Page>} />
          <Route path="inbox" element={<Page><RequirePermission any={['inbox.read']}><InboxPage /></RequirePermission></Page>} />
          <Route path="whistles" element={<Page><RequirePermission any={['whistle.read']}><WhistlesPage /></RequirePermission></Page>} />
          <Route path="whistles/:id" element={<Page><RequirePermission any={['whistle.read']}><WhistleDetailPage /></RequirePermission></Page>} />
          <Route path="departments" element={<Page><RequirePermission any={['department.read']}><DepartmentsPage /></RequirePermission></Page>} />
          <Route path="performance" element={<Page><RequirePermission any={['performance.read']}><PerformancePage /></RequirePermission></Page>} />
          <Route path="reports" element={<Page><RequirePermission any={['report.send', 'report.read']}><ReportsPage /></RequirePermission></Page>} />
          <Route path="notifications" element={<Page><NotificationsPage /></Page>} />
          <Route path="protocol" element={<Page><RequirePermission any={['protocol.read']}><ProtocolPage /></RequirePermission></Page>} />
          <Route path="protocol/:id" element={<Page><RequirePermission any={['protocol.read']}><ProtocolPage /></RequirePermission></Page>} />
          <Route path="cases" element={<Page><RequirePermission any={['case.read']}><CasesPage /></RequirePermission></Page>} />
          <Route path="cases/:id" element={<Page><RequirePermission any={['case.read']}><CaseDetailPage /></RequirePermission></Page>} />
          <Route path="tracing" element={<Page><RequirePermission any={['trace.read', 'contact.followup']}><TracingPage /></RequirePermission></Page>} />
          <Route path="tracing/cases/:id" element={<Page><RequirePermission any={['trace.read']}><CaseTracingPage /></RequirePermission></Page>} />
          <Route path="screening" element={<Page><RequirePermission any={['screening.read']}><ScreeningPage /></RequirePermission></Page>} />
          <Route path="screening/:id" element={<Page><RequirePermission any={['screening.read']}><CampaignDetailPage /></RequirePermission></Page>} />
          <Route path="places" element={<Page><RequirePermission any={['place.read']}><PlacesPage /></RequirePermission></Page>} />
          <Route path="checkpoint" element={<Page><RequirePermission any={['checkpoint.operate']}><CheckpointPage /></RequirePermission></Page>} />
          <Route path="devices" element={<Page><RequirePermission any={['device.manage']}><DevicesPage /></RequirePermission></Page>} />
          <Route path="transfer" element={<Page><RequirePermission any={['resident.write', 'resident.read']}><TransferPage /></RequirePermission></Page>} />
          <Route path="users" element={<Page><RequirePermission any={['user.manage']}><UsersPage /></RequirePermission></Page>} />
          <Route path="audit" element={<Page><RequirePermission any={['audit.read', 'audit.verify']}><AuditPage /></RequirePermission></Page>} />
          <Route path="*" element={<Page><NotFoundPage /></Page>} />
        </Route>
      </Routes>
    </Suspense>
  );
}

/** Providers: AntD locale follows the language switch; phones get 40 px controls (touch targets). */
export function Root() {
  const { i18n } = useTranslation();
  const bp = Grid.useBreakpoint();
  const phone = bp.md === false;
  return (
    <ConfigProvider
      locale={isZh(i18n.language) ? zhCN : enUS}
      componentSize={phone ? 'large' : 'middle'}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: { colorPrimary: '#1668dc', borderRadius: 6, fontSize: 14 },
        components: { Layout: { headerBg: '#ffffff', headerPadding: '0 16px', siderBg: '#001529' } },
      }}
    >
      <AntApp>
        <BrowserRouter>
          <AuthProvider>
            <AppRoutes />
          </AuthProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}
