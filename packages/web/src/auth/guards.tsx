import type { Permission } from '@gridline/shared';
import { Button, Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ErrorState, FullPageSpin } from '../components/states';
import { useAuth } from './AuthContext';

/** Signed in (else to /login, coming back here afterwards); initial password changed (else forced). */
export function RequireAuth({ children, allowPasswordChange = false }: { children: ReactNode; allowPasswordChange?: boolean }) {
  const { status, me, bootError, refresh } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <FullPageSpin />;
  if (status === 'error') return <ErrorState error={bootError} onRetry={() => void refresh()} />;
  if (status === 'anonymous' || !me) {
    const back = `${location.pathname}${location.search}`;
    return <Navigate to={back === '/' ? '/login' : `/login?redirect=${encodeURIComponent(back)}`} replace />;
  }
  if (me.mustChangePassword && !allowPasswordChange) return <Navigate to="/change-password" replace />;
  return <>{children}</>;
}

/** Staff console only; residents have their own portal. */
export function RequireConsole({ children }: { children: ReactNode }) {
  const { me } = useAuth();
  if (me?.role === 'resident') return <Navigate to="/portal" replace />;
  return <>{children}</>;
}

export function RequirePortal({ children }: { children: ReactNode }) {
  const { me } = useAuth();
  if (me && me.role !== 'resident') return <Navigate to="/dashboard" replace />;
  return <>{children}</>;
}

export function Forbidden() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title={t('common.forbiddenTitle')}
      subTitle={t('common.forbiddenBody')}
      extra={<Button type="primary" onClick={() => navigate('/')}>{t('common.backHome')}</Button>}
    />
  );
}

/** A page only some roles may use: a clear 403 for anyone else who types its address. */
export function RequirePermission({ any, children }: { any: Permission[]; children: ReactNode }) {
  const { canAny } = useAuth();
  if (!canAny(...any)) return <Forbidden />;
  return <>{children}</>;
}

/** Where a user lands after signing in. */
export function homePath(role: string | undefined): string {
  return role === 'resident' ? '/portal' : '/dashboard';
}
