import { CheckCircleFilled, EnvironmentOutlined } from '@ant-design/icons';
import { PLACE_KIND_LABELS, PHONE_MESSAGE, parseMobilePhone } from '@gridline/shared';
import { Alert, Button, Card, Flex, Form, Input, Result, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { toApiError } from '../../api/client';
import { applyFieldErrors, useApi, useErrorText } from '../../api/hooks';
import { placeCodeApi, type CheckInResult } from '../../api/places';
import { useAuth } from '../../auth/AuthContext';
import { LanguageSwitch } from '../../layout/LanguageSwitch';
import { pick } from '../../lib/labels';
import { formatDateTime } from '../../lib/time';

/**
 * /p/:code — what a poster's QR opens, on any phone, signed in or not: a resident signed in to the portal
 * records "I am here" with one tap; anyone else gives a name and a mobile number.
 */
export default function PlaceScanPage() {
  const { code = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { status, me } = useAuth();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ name: string; phone: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [done, setDone] = useState<CheckInResult | undefined>(undefined);
  const place = useApi((s) => placeCodeApi.get(code, s), [code]);
  const resident = status === 'authenticated' && me?.role === 'resident';

  const run = async (fn: () => Promise<CheckInResult>) => {
    setBusy(true);
    setError(undefined);
    try {
      setDone(await fn());
      // The confirmation replaces the form: show it from the top (the place's name), not mid-scroll.
      window.scrollTo({ top: 0 });
    } catch (err) {
      const e = toApiError(err);
      const { matched } = applyFieldErrors(form, e);
      if (!matched) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  let body;
  if (place.error) {
    body = <Result status="warning" title={t('places.scan.notFound')} subTitle={t('places.scan.notFoundHint')} data-testid="scan-not-found" />;
  } else if (!place.data || status === 'loading') {
    body = <Flex justify="center" style={{ padding: 48 }}><Spin size="large" /></Flex>;
  } else if (done) {
    body = (
      <Card data-testid="scan-done">
        <Flex vertical align="center" gap={8} style={{ padding: '16px 0' }}>
          <CheckCircleFilled style={{ fontSize: 64, color: '#389e0d' }} />
          <Typography.Title level={3} style={{ margin: 0 }}>{t('places.scan.done')}</Typography.Title>
          <Typography.Text style={{ fontSize: 17, textAlign: 'center' }} data-testid="scan-done-detail">
            {t('places.scan.doneDetail', { person: done.personMasked, place: done.placeName, time: formatDateTime(done.at) })}
          </Typography.Text>
          <Button onClick={() => setDone(undefined)} style={{ marginTop: 8 }}>{t('places.scan.again')}</Button>
        </Flex>
      </Card>
    );
  } else {
    body = (
      <Flex vertical gap={12}>
        {resident ? (
          <Card title={t('places.scan.residentTitle')}>
            <Typography.Paragraph type="secondary">{t('places.scan.residentHint')}</Typography.Paragraph>
            <Button type="primary" size="large" block style={{ height: 56, fontSize: 20 }} loading={busy} onClick={() => void run(() => placeCodeApi.checkIn(code))} data-testid="scan-i-am-here">
              {t('places.scan.iAmHere')}
            </Button>
          </Card>
        ) : (
          <Card title={t('places.scan.visitorTitle')}>
            <Typography.Paragraph type="secondary">{t('places.scan.visitorHint')}</Typography.Paragraph>
            <Form form={form} layout="vertical" onFinish={(v) => void run(() => placeCodeApi.visit(code, { name: v.name.trim(), phone: v.phone.trim() }))}>
              <Form.Item name="name" label={t('places.scan.name')} rules={[{ required: true, whitespace: true, message: t('places.scan.name') }, { max: 50 }]}>
                <Input size="large" maxLength={50} autoComplete="name" data-testid="scan-name" />
              </Form.Item>
              <Form.Item
                name="phone"
                label={t('places.scan.phone')}
                rules={[{ required: true, message: PHONE_MESSAGE.zh }, { validator: async (_, v: string | undefined) => { if (v && !parseMobilePhone(v).ok) throw new Error(i18n.language.startsWith('zh') ? PHONE_MESSAGE.zh : PHONE_MESSAGE.en); } }]}
              >
                <Input size="large" inputMode="tel" autoComplete="tel" maxLength={20} data-testid="scan-phone" />
              </Form.Item>
              <Button type="primary" htmlType="submit" size="large" block style={{ height: 52, fontSize: 18 }} loading={busy} data-testid="scan-submit">
                {t('places.scan.submit')}
              </Button>
            </Form>
            {status !== 'authenticated' ? (
              <div style={{ textAlign: 'center', marginTop: 16 }}>
                <Link to={`/login?redirect=${encodeURIComponent(`/portal/p/${code}`)}`} data-testid="scan-login">{t('places.scan.residentLogin')}</Link>
              </div>
            ) : null}
          </Card>
        )}
        {error ? <Alert type="error" showIcon title={error} data-testid="scan-error" /> : null}
      </Flex>
    );
  }

  return (
    <div className="portal" data-testid="place-scan-page">
      <Flex className="portal-header" align="center" justify="space-between">
        <Typography.Text strong style={{ color: '#fff', fontSize: 17 }}>
          {t('app.name')} · {t('places.scan.title')}
        </Typography.Text>
        <LanguageSwitch compact />
      </Flex>
      <main className="portal-main">
        {place.data ? (
          <Card style={{ marginBottom: 12 }}>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="scan-place-name">{place.data.name}</Typography.Title>
            <Typography.Text type="secondary">
              <EnvironmentOutlined /> {pick(PLACE_KIND_LABELS[place.data.kind], i18n.language)}
              {place.data.address ? ` · ${place.data.address}` : ''}
            </Typography.Text>
          </Card>
        ) : null}
        {body}
      </main>
    </div>
  );
}
