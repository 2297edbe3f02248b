import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Progress, Typography } from 'antd';
import QRCode from 'qrcode';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../../api/client';
import { useErrorText } from '../../api/hooks';
import { personalCodeApi, type PersonalCode } from '../../api/places';
import { LoadingBlock } from '../../components/states';

/** Renew this long before the code expires, so that it is never shown in its last seconds. */
const RENEW_BEFORE_MS = 10_000;

/**
 * 我的通行码: the signed, 60-second personal code as a QR, renewed automatically before it expires (timed on the
 * server's clock, whatever the phone's says), with a countdown. Renewed at once when the screen comes back.
 */
export default function MyPassCodePage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [code, setCode] = useState<PersonalCode | undefined>(undefined);
  const [image, setImage] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [now, setNow] = useState(Date.now());
  const offset = useRef(0);
  const loading = useRef(false);

  const renew = useCallback(async () => {
    if (loading.current) return;
    loading.current = true;
    try {
      const c = await personalCodeApi.mine();
      offset.current = c.serverNow - Date.now();
      setImage(await QRCode.toDataURL(c.code, { errorCorrectionLevel: 'M', margin: 2, width: 560 }));
      setCode(c);
      setError(undefined);
    } catch (err) {
      setError(errorText(toApiError(err)));
    } finally {
      loading.current = false;
    }
  }, [errorText]);

  useEffect(() => {
    void renew();
    const timer = window.setInterval(() => setNow(Date.now()), 250);
    const onVisible = () => {
      if (document.visibilityState === 'visible') void renew();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [renew]);

  const serverNow = now + offset.current;
  const left = code ? code.expiresAt - serverNow : 0;
  useEffect(() => {
    if (code && left <= RENEW_BEFORE_MS && document.visibilityState !== 'hidden') void renew();
  }, [code, left, renew]);

  if (!code && !error) return <LoadingBlock rows={8} card />;
  const seconds = Math.max(0, Math.ceil((left - RENEW_BEFORE_MS) / 1000));
  const span = code ? code.expiresAt - code.issuedAt - RENEW_BEFORE_MS : 1;
  const expired = !code || left <= 0;
  return (
    <Flex vertical gap={12} data-testid="portal-passcode">
      <Card styles={{ body: { textAlign: 'center' } }}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>{t('places.portal.title')}</Typography.Title>
        {code ? <Typography.Text style={{ fontSize: 20 }} strong data-testid="passcode-name">{code.residentMasked}</Typography.Text> : null}
        <div style={{ margin: '12px auto', maxWidth: 300, opacity: expired ? 0.25 : 1, transition: 'opacity .3s' }}>
          {image ? <img src={image} alt={t('places.portal.title')} style={{ width: '100%', imageRendering: 'pixelated' }} data-testid="passcode-qr" data-code={code?.code} /> : null}
        </div>
        {expired ? (
          <Typography.Text type="warning">{t('places.portal.expired')}</Typography.Text>
        ) : (
          <>
            <Progress percent={Math.round((Math.max(0, left - RENEW_BEFORE_MS) / span) * 100)} showInfo={false} strokeColor="#1668dc" />
            <Typography.Text data-testid="passcode-countdown">{t('places.portal.countdown', { seconds })}</Typography.Text>
          </>
        )}
        <div style={{ marginTop: 12 }}>
          <Button icon={<ReloadOutlined />} onClick={() => void renew()} data-testid="passcode-refresh">{t('places.portal.refresh')}</Button>
        </div>
      </Card>
      {error ? <Alert type="error" showIcon title={error} /> : null}
      <Typography.Paragraph type="secondary" style={{ textAlign: 'center', fontSize: 13 }}>{t('places.portal.hint')}</Typography.Paragraph>
    </Flex>
  );
}
