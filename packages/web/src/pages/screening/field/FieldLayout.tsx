import { ArrowLeftOutlined, DesktopOutlined } from '@ant-design/icons';
import type { Me } from '@gridline/shared';
import { Button, Flex } from 'antd';
import { Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { toApiError } from '../../../api/client';
import { useAuth } from '../../../auth/AuthContext';
import { Forbidden } from '../../../auth/guards';
import { ErrorState, FullPageSpin, LoadingBlock } from '../../../components/states';
import { cacheLoadedAssets } from '../../../offline/register-sw';
import { fieldStore } from '../../../offline/field-store';
import { useSyncState, visitQueue } from '../../../offline/visit-queue';
import { FieldContext, type FieldUser } from './field-data';
import { SyncBar } from './SyncBar';
import './field.css';

/**
 * The grid worker's field app (/field): phone-first, outside the console, and usable offline. Signed in, it
 * remembers who is working on this phone; started without a network, it works as that person from what the
 * phone kept (the server still checks the session when the visits are sent).
 */
export default function FieldLayout() {
  const { t } = useTranslation();
  const { status, me, bootError, refresh } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const sync = useSyncState();
  const [kept, setKept] = useState<Me | null | undefined>(undefined);
  const offlineStart = status === 'error' && toApiError(bootError).status === 0;

  useEffect(() => {
    if (status === 'authenticated' && me) void fieldStore.saveIdentity(me);
  }, [status, me]);
  useEffect(() => {
    if (status !== 'error') return;
    void fieldStore.identity().then((m) => setKept(m ?? null), () => setKept(null));
  }, [status]);
  // Back online after starting offline: confirm the session with the server.
  useEffect(() => {
    if (offlineStart && sync.online) void refresh();
  }, [offlineStart, sync.online, refresh]);

  const user = useMemo<FieldUser | undefined>(() => {
    if (status === 'authenticated' && me) return { me, offlineStart: false };
    if (offlineStart && kept) return { me: kept, offlineStart: true };
    return undefined;
  }, [status, me, offlineStart, kept]);

  useEffect(() => {
    if (!user) return;
    visitQueue.start(user.me.id);
    // Every field page is fetched now (while there may be a network) and kept, with whatever else this page
    // loaded, for opening the app offline: the visit form must open in a stairwell without signal.
    void Promise.all([import('./FieldHomePage'), import('./FieldHouseholdsPage'), import('./VisitFormPage'), import('./FieldSyncPage')])
      .then(() => cacheLoadedAssets())
      .catch(() => undefined);
  }, [user]);

  if (status === 'loading' || (status === 'error' && kept === undefined)) return <FullPageSpin />;
  if (status === 'anonymous') return <Navigate to={`/login?redirect=${encodeURIComponent(location.pathname)}`} replace />;
  if (!user) return <ErrorState error={bootError} onRetry={() => void refresh()} />;
  if (user.me.mustChangePassword) return <Navigate to="/change-password" replace />;
  if (!user.me.permissions.includes('screening.visit')) return <Forbidden />;

  const atHome = location.pathname === '/field' || location.pathname === '/field/';
  const title = location.pathname.startsWith('/field/sync') ? t('screening.field.syncTitle') : t('screening.field.title');
  return (
    <FieldContext.Provider value={user}>
      <div className="field" data-testid="field-app">
        <Flex className="field-header" align="center" justify="space-between" gap={4}>
          <Flex align="center" gap={2} style={{ minWidth: 0 }}>
            {atHome ? null : (
              <Button type="text" className="touch" icon={<ArrowLeftOutlined />} aria-label={t('screening.field.back')} onClick={() => navigate(parentOf(location.pathname))} data-testid="field-back" />
            )}
            <span className="field-title" style={atHome ? { paddingInlineStart: 12 } : undefined}>{title}</span>
          </Flex>
          <Flex align="center" gap={2}>
            <span className="field-title" style={{ fontSize: 13, fontWeight: 400, maxWidth: 120 }}>{user.me.displayName}</span>
            {user.offlineStart ? null : (
              <Button type="text" className="touch" icon={<DesktopOutlined />} aria-label={t('screening.field.console')} onClick={() => navigate('/screening')} />
            )}
          </Flex>
        </Flex>
        <SyncBar />
        <main className="field-main">
          <Suspense fallback={<LoadingBlock rows={6} card />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </FieldContext.Provider>
  );
}

/** One level up: a visit form → its list → my campaigns (works when the app was opened right on a deep page). */
function parentOf(path: string): string {
  const parts = path.split('/').filter(Boolean);
  return parts.length <= 2 ? '/field' : `/${parts.slice(0, -1).join('/')}`;
}
