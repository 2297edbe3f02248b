import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { InputRef } from 'antd';
import { useTranslation } from 'react-i18next';
import { authApi } from '../api/endpoints';
import { useErrorText } from '../api/hooks';

/**
 * "登录已过期": sign in again over the current page, so whatever the worker was typing stays put.
 */
export function SessionExpiredModal(props: { open: boolean; username: string; onSignedIn: (username: string) => void | Promise<void>; onGoToLogin: () => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ username: string; password: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const passwordRef = useRef<InputRef>(null);

  useEffect(() => {
    if (props.open) {
      form.setFieldsValue({ username: props.username, password: '' });
      setError(undefined);
    }
  }, [props.open, props.username, form]);

  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await authApi.login(v.username.trim(), v.password);
      await props.onSignedIn(v.username.trim());
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={props.open}
      title={t('session.expiredTitle')}
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      footer={null}
      forceRender
      zIndex={2000}
      afterOpenChange={(open) => {
        if (open) passwordRef.current?.focus();
      }}
    >
      <div data-testid="session-expired-modal">
      <Typography.Paragraph type="secondary">{t('session.expiredBody')}</Typography.Paragraph>
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false}>
        <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
          <Input.Password ref={passwordRef} prefix={<LockOutlined />} autoComplete="current-password" data-testid="relogin-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="relogin-submit">
          {t('session.signInAgain')}
        </Button>
        <Button type="link" block onClick={props.onGoToLogin} style={{ marginTop: 8 }}>
          {t('session.goToLogin')}
        </Button>
      </Form>
      </div>
    </Modal>
  );
}
