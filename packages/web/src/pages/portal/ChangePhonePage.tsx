import { CheckCircleFilled } from '@ant-design/icons';
import { parseMobilePhone, PHONE_MESSAGE } from '@gridline/shared';
import { Alert, Button, Card, Form, Input, Result, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { portalApi, type Resident } from '../../api/endpoints';
import { applyFieldErrors, useApi, useErrorText } from '../../api/hooks';
import { isZh } from '../../lib/labels';

/** 修改手机号: checked as typed with the shared phone rule. */
export default function ChangePhonePage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const me = useApi((s) => portalApi.resident(s), []);
  const [form] = Form.useForm<{ phone: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [saved, setSaved] = useState<Resident | undefined>(undefined);

  const submit = async (v: { phone: string }) => {
    const p = parseMobilePhone(v.phone);
    if (!p.ok) return;
    setBusy(true);
    setError(undefined);
    try {
      setSaved(await portalApi.changePhone(p.value));
    } catch (err) {
      const { matched } = applyFieldErrors(form, err);
      if (!matched) setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  if (saved) {
    return (
      <Card data-testid="portal-phone-done">
        <Result
          icon={<CheckCircleFilled style={{ color: '#52c41a' }} />}
          title={t('portal.phoneSaved')}
          subTitle={t('portal.phoneNow', { phone: saved.phoneMasked ?? '' })}
          extra={
            <Button type="primary" size="large" onClick={() => navigate('/portal/me')}>
              {t('portal.me')}
            </Button>
          }
        />
      </Card>
    );
  }

  return (
    <Card data-testid="portal-phone">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('portal.phone')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('portal.phoneIntro', { current: me.data?.phoneMasked ?? t('common.none') })}</Typography.Paragraph>
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
      <Form form={form} layout="vertical" size="large" onFinish={(v) => void submit(v)} requiredMark={false}>
        <Form.Item
          name="phone"
          label={t('portal.newPhone')}
          validateDebounce={250}
          hasFeedback
          rules={[
            { required: true, message: t('portal.phoneRequired') },
            {
              validator: async (_, value: string | undefined) => {
                if (value && !parseMobilePhone(value).ok) throw new Error(isZh(i18n.language) ? PHONE_MESSAGE.zh : PHONE_MESSAGE.en);
              },
            },
          ]}
        >
          <Input inputMode="tel" autoComplete="tel" maxLength={20} placeholder={t('portal.phonePlaceholder')} data-testid="portal-phone-input" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="portal-phone-submit">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
