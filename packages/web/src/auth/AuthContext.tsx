import type { Permission } from '@gridline/shared';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { onApiEvent, toApiError, type ApiError } from '../api/client';
import { authApi, type Me } from '../api/endpoints';
import { SessionExpiredModal } from './SessionExpiredModal';

type Status = 'loading' | 'anonymous' | 'authenticated' | 'error';

interface AuthValue {
  status: Status;
  me: Me | undefined;
  bootError: ApiError | undefined;
  refresh: () => Promise<Me | undefined>;
  logout: () => Promise<void>;
  can: (p: Permission) => boolean;
  canAny: (...p: Permission[]) => boolean;
}

const AuthContext = createContext<AuthValue | undefined>(undefined);

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

/** The signed-in user (GET /api/auth/me), and the shell's answers to session events. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status>('loading');
  const [me, setMe] = useState<Me | undefined>(undefined);
  const [bootError, setBootError] = useState<ApiError | undefined>(undefined);
  const [expired, setExpired] = useState(false);
  const navigate = useNavigate();
  const location = useLocation();
  const { message } = App.useApp();
  const { t } = useTranslation();
  const statusRef = useRef(status);
  statusRef.current = status;
  const pathRef = useRef(location.pathname);
  pathRef.current = location.pathname;

  const refresh = useCallback(async (): Promise<Me | undefined> => {
    try {
      const m = await authApi.me();
      setMe(m);
      setStatus('authenticated');
      setBootError(undefined);
      return m;
    } catch (err) {
      const e = toApiError(err);
      if (e.status === 401) {
        setMe(undefined);
        setStatus('anonymous');
        return undefined;
      }
      setBootError(e);
      setStatus((s) => (s === 'loading' || s === 'error' ? 'error' : s));
      return undefined;
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(
    () =>
      onApiEvent((e) => {
        if (e === 'session-expired') {
          if (statusRef.current === 'authenticated' && pathRef.current !== '/login') setExpired(true);
        } else if (e === 'password-change-required') {
          setMe((m) => (m ? { ...m, mustChangePassword: true } : m));
          if (pathRef.current !== '/change-password') navigate('/change-password', { replace: true });
        }
      }),
    [navigate],
  );

  const logout = useCallback(async () => {
    try {
      await authApi.logout();
    } catch {
      /* signed out locally either way */
    }
    setMe(undefined);
    setStatus('anonymous');
    navigate('/login', { replace: true });
  }, [navigate]);

  const value = useMemo<AuthValue>(() => {
    const perms = new Set(me?.permissions ?? []);
    return {
      status,
      me,
      bootError,
      refresh,
      logout,
      can: (p) => perms.has(p),
      canAny: (...ps) => ps.some((p) => perms.has(p)),
    };
  }, [status, me, bootError, refresh, logout]);

  return (
    <AuthContext.Provider value={value}>
      {children}
      <SessionExpiredModal
        open={expired}
        username={me?.username ?? ''}
        onSignedIn={async (username) => {
          const sameUser = username === me?.username;
          setExpired(false);
          const m = await refresh();
          // Another account signed in here: do not leave the previous user's page on screen.
          if (!sameUser || !m) navigate('/', { replace: true });
          else if (m.mustChangePassword) navigate('/change-password', { replace: true });
          else void message.success(t('session.resumed'));
        }}
        onGoToLogin={() => {
          setExpired(false);
          setMe(undefined);
          setStatus('anonymous');
          const back = `${location.pathname}${location.search}`;
          navigate(`/login?redirect=${encodeURIComponent(back)}`, { replace: true });
        }}
      />
    </AuthContext.Provider>
  );
}
