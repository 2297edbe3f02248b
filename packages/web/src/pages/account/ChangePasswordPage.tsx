import { ArrowLeftOutlined, LockOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { authApi } from '../../api/endpoints';
import { applyFieldErrors, useErrorText } from '../../api/hooks';
import { useAuth } from '../../auth/AuthContext';
import { homePath } from '../../auth/guards';
import { LanguageSwitch } from '../../layout/LanguageSwitch';
import { passwordProblem } from '../../lib/password';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** Change my password; forced (no way around it) while the initial password is still in use. */
export default function ChangePasswordPage() {
  const { t } = useTranslation();
  const { me, refresh, logout } = useAuth();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const forced = !!me?.mustChangePassword;

  const submit = async (v: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      await authApi.changePassword({ currentPassword: v.currentPassword, newPassword: v.newPassword });
      void message.success(t('password.changed'));
      const m = await refresh();
      navigate(homePath(m?.role), { replace: true });
    } catch (err) {
      const { unmatched } = applyFieldErrors(form, err);
      const text = errorText(err);
      if ((err as { code?: string }).code === 'GRIDLINE_PASSWORD_WRONG') form.setFields([{ name: 'currentPassword', errors: [text] }]);
      else if ((err as { code?: string }).code === 'GRIDLINE_PASSWORD_WEAK') form.setFields([{ name: 'newPassword', errors: [text] }]);
      else setError([text, ...unmatched].join(' '));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <div style={{ position: 'fixed', top: 8, right: 8 }}>
        <LanguageSwitch />
      </div>
      <Card className="login-card" variant="borderless" styles={{ body: { padding: '28px 24px' } }} data-testid="change-password">
        {forced ? null : (
          <Button type="link" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} style={{ paddingInline: 0, marginBottom: 8 }}>
            {t('common.back')}
          </Button>
        )}
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t('password.title')}
        </Typography.Title>
        {forced ? <Alert type="warning" showIcon title={t('password.forced')} style={{ marginBottom: 16 }} /> : null}
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
        <Form form={form} layout="vertical" size="large" onFinish={(v) => void submit(v)} requiredMark={false} data-testid="change-password-form">
          <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('password.currentRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('password.new')}
            extra={t('password.rule')}
            rules={[
              { required: true, message: t('password.newRequired') },
              {
                validator: async (_, value: string | undefined) => {
                  const p = passwordProblem(value ?? '');
                  if (value && p) throw new Error(t(`password.problem.${p}`));
                },
              },
            ]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('password.confirm')}
            dependencies={['newPassword']}
            rules={[
              { required: true, message: t('password.confirmRequired') },
              ({ getFieldValue }) => ({
                validator: async (_, value: string | undefined) => {
                  if (value && value !== getFieldValue('newPassword')) throw new Error(t('password.mismatch'));
                },
              }),
            ]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="change-password-submit">
            {t('password.submit')}
          </Button>
          {forced ? (
            <Flex justify="center" style={{ marginTop: 12 }}>
              <Button type="link" onClick={() => void logout()}>
                {t('user.logout')}
              </Button>
            </Flex>
          ) : null}
        </Form>
      </Card>
    </div>
  );
}
