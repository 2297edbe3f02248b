import { CameraOutlined, EditOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Input, InputNumber, List, Select, Tag, Typography, type GetRef } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../../api/client';
import { useApi, useErrorText } from '../../api/hooks';
import { checkpointsApi, type CheckpointDecision } from '../../api/places';
import { PageContainer } from '../../components/PageContainer';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { store } from '../../lib/storage';
import { formatDateTimeSeconds } from '../../lib/time';
import { DecisionResult } from './DecisionResult';
import { QrScanner } from './QrScanner';

const LAST_CHECKPOINT = 'gridline.checkpoint';
const RESULT_COLOR = { pass: 'green', deny: 'red', refused: 'volcano' } as const;

/**
 * 卡口核验 (checkpoint.operate), phone first: pick the checkpoint once, measure the temperature, scan the
 * resident's code (camera, or the code's text by hand); the answer fills the screen; the next person follows.
 */
export default function CheckpointPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const checkpoints = useApi((s) => checkpointsApi.list(s), []);
  const [placeId, setPlaceId] = useState<string | undefined>(store.get(LAST_CHECKPOINT) ?? undefined);
  const [temperature, setTemperature] = useState<number | null>(null);
  const [scanning, setScanning] = useState(false);
  const [manual, setManual] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [decision, setDecision] = useState<CheckpointDecision | undefined>(undefined);
  const [recentTick, setRecentTick] = useState(0);
  const tempRef = useRef<GetRef<typeof InputNumber>>(null);
  const list = checkpoints.data ?? [];
  const current = list.find((c) => c.id === placeId) ?? (list.length === 1 ? list[0] : undefined);
  const recent = useApi((s) => checkpointsApi.decisions(current!.id, { pageSize: 8 }, s), [current?.id, recentTick], !!current);
  const needTemperature = !!current?.passageRules.requireTemperature;

  useEffect(() => {
    if (current) store.set(LAST_CHECKPOINT, current.id);
  }, [current]);

  const verify = async (code: string) => {
    if (!current || busy) return;
    if (needTemperature && temperature === null) {
      setScanning(false);
      setError(t('places.checkpoint.temperatureRequired'));
      tempRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const d = await checkpointsApi.decide(current.id, { code: code.trim(), ...(temperature !== null ? { temperature } : {}) });
      setDecision(d);
      setScanning(false);
      setManual('');
      setRecentTick((n) => n + 1);
    } catch (err) {
      setError(errorText(toApiError(err)));
    } finally {
      setBusy(false);
    }
  };

  const next = () => {
    setDecision(undefined);
    setTemperature(null);
    setError(undefined);
    setTimeout(() => tempRef.current?.focus(), 0);
  };

  if (checkpoints.error) return <ErrorState error={checkpoints.error} onRetry={checkpoints.reload} />;
  if (!checkpoints.data) return <LoadingBlock rows={6} card />;

  return (
    <PageContainer testId="checkpoint-page" title={t('places.menu.checkpoint')} subTitle={t('places.checkpoint.subtitle')}>
      {list.length === 0 ? (
        <Alert type="info" showIcon title={t('places.checkpoint.none')} />
      ) : (
        <Flex vertical gap={12} style={{ maxWidth: 560 }}>
          <Card size="small">
            <Typography.Text type="secondary">{t('places.checkpoint.pick')}</Typography.Text>
            <Select
              size="large"
              style={{ width: '100%', marginTop: 4 }}
              value={current?.id}
              onChange={(v: string) => {
                setPlaceId(v);
                setDecision(undefined);
              }}
              options={list.map((c) => ({ value: c.id, label: c.name }))}
              data-testid="checkpoint-select"
            />
          </Card>
          {decision ? (
            <DecisionResult decision={decision} onNext={next} />
          ) : (
            <Card size="small">
              <Flex vertical gap={12}>
                <div>
                  <Typography.Text strong>
                    {t('places.checkpoint.temperature')} {needTemperature ? <Tag color="orange">{t('places.checkpoint.temperatureRequired')}</Tag> : null}
                  </Typography.Text>
                  <InputNumber
                    ref={tempRef}
                    size="large"
                    min={34}
                    max={43}
                    step={0.1}
                    precision={1}
                    inputMode="decimal"
                    value={temperature}
                    onChange={(v) => setTemperature(typeof v === 'number' ? v : null)}
                    style={{ width: '100%', marginTop: 4, fontSize: 22 }}
                    placeholder="36.5"
                    data-testid="checkpoint-temperature"
                  />
                </div>
                {scanning ? (
                  <>
                    <QrScanner onCode={(text) => void verify(text)} onClose={() => setScanning(false)} />
                    <Button size="large" block onClick={() => setScanning(false)}>{t('places.checkpoint.stopCamera')}</Button>
                  </>
                ) : (
                  <Button type="primary" size="large" block icon={<CameraOutlined />} style={{ height: 56, fontSize: 20 }} onClick={() => { setError(undefined); setScanning(true); }} data-testid="checkpoint-scan">
                    {t('places.checkpoint.scan')}
                  </Button>
                )}
                <div>
                  <Typography.Text type="secondary"><EditOutlined /> {t('places.checkpoint.manual')}</Typography.Text>
                  <Flex gap={8} style={{ marginTop: 4 }}>
                    <Input
                      size="large"
                      value={manual}
                      onChange={(e) => setManual(e.target.value)}
                      onPressEnter={() => manual.trim() && void verify(manual)}
                      placeholder={t('places.checkpoint.manualPlaceholder')}
                      autoComplete="off"
                      autoCapitalize="off"
                      spellCheck={false}
                      data-testid="checkpoint-manual"
                    />
                    <Button size="large" loading={busy} disabled={!manual.trim()} onClick={() => void verify(manual)} data-testid="checkpoint-verify">
                      {t('places.checkpoint.verify')}
                    </Button>
                  </Flex>
                </div>
                {error ? <Alert type="error" showIcon title={error} data-testid="checkpoint-error" /> : null}
              </Flex>
            </Card>
          )}
          <Card size="small" title={t('places.checkpoint.recent')}>
            {recent.data?.items.length ? (
              <List
                size="small"
                dataSource={recent.data.items}
                data-testid="checkpoint-recent"
                renderItem={(d) => (
                  <List.Item>
                    <Flex justify="space-between" style={{ width: '100%' }} gap={8}>
                      <span>
                        <Tag color={RESULT_COLOR[d.result]}>{t(`places.checkpoint.${d.result}`)}</Tag>
                        {d.personMasked ?? '—'}
                        {d.fever ? <Tag color="red" style={{ marginLeft: 6 }}>{t('places.checkpoint.fever')}</Tag> : null}
                      </span>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTimeSeconds(d.at).slice(11)}</Typography.Text>
                    </Flex>
                  </List.Item>
                )}
              />
            ) : (
              <EmptyState description={t('places.checkpoint.noRecent')} />
            )}
          </Card>
        </Flex>
      )}
    </PageContainer>
  );
}
