import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { toApiError } from '../../api/client';
import { authApi } from '../../api/endpoints';
import { useAuth } from '../../auth/AuthContext';
import { homePath } from '../../auth/guards';
import { FullPageSpin } from '../../components/states';
import { LanguageSwitch } from '../../layout/LanguageSwitch';

/** Only same-site paths: never an open redirect. */
export function safeRedirect(raw: string | null): string | undefined {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/login')) return undefined;
  return raw;
}

export default function LoginPage() {
  const { t, i18n } = useTranslation();
  const { status, me, refresh } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const redirect = safeRedirect(params.get('redirect'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ title: string; detail?: string } | undefined>(undefined);

  if (status === 'loading') return <FullPageSpin />;
  if (status === 'authenticated' && me && !busy) {
    return <Navigate to={me.mustChangePassword ? '/change-password' : (redirect ?? homePath(me.role))} replace />;
  }

  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await authApi.login(v.username.trim(), v.password);
      const m = await refresh();
      if (!m) throw new Error('no session');
      if (m.mustChangePassword) navigate('/change-password', { replace: true });
      else navigate(redirect && (m.role === 'resident') === redirect.startsWith('/portal') ? redirect : homePath(m.role), { replace: true });
    } catch (err) {
      const e = toApiError(err);
      if (e.code === 'GRIDLINE_LOGIN_LOCKED') {
        const secs = Number(e.details.retryAfterSeconds ?? 0);
        const minutes = Math.max(1, Math.ceil(secs / 60));
        setError({ title: t('login.locked', { minutes }), detail: t('login.lockedHint') });
      } else if (e.code === 'GRIDLINE_LOGIN_FAILED') {
        setError({ title: e.text(i18n.language), detail: t('login.failedHint') });
      } else {
        setError({ title: e.text(i18n.language) });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <div style={{ position: 'fixed', top: 8, right: 8 }}>
        <LanguageSwitch />
      </div>
      <Card className="login-card" variant="borderless" styles={{ body: { padding: '32px 28px' } }}>
        <Flex vertical align="center" gap={6} style={{ marginBottom: 24 }}>
          <svg width="48" height="48" viewBox="0 0 32 32" aria-hidden>
            <rect width="32" height="32" rx="6" fill="#1668dc" />
            <path d="M8 8h16v16H8z" fill="none" stroke="#fff" strokeWidth="2" />
            <path d="M16 8v16M8 16h16" stroke="#fff" strokeWidth="2" />
          </svg>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('app.name')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('app.fullName')}</Typography.Text>
        </Flex>
        {redirect ? <Alert type="info" showIcon title={t('login.redirectNotice')} style={{ marginBottom: 16 }} /> : null}
        {error ? (
          <Alert type="error" showIcon title={error.title} description={error.detail} style={{ marginBottom: 16 }} data-testid="login-error" />
        ) : null}
        <Form layout="vertical" size="large" onFinish={(v: { username: string; password: string }) => void submit(v)} requiredMark={false} data-testid="login-form">
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoCapitalize="off" autoCorrect="off" spellCheck={false} data-testid="login-username" />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 20, marginBottom: 0, fontSize: 12, textAlign: 'center' }}>
          {t('login.footer')}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
