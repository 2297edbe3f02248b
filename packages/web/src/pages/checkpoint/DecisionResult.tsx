import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { Button, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CheckpointDecision } from '../../api/places';
import { formatDateTimeSeconds } from '../../lib/time';

const LOOK = {
  pass: { bg: '#389e0d', icon: <CheckCircleFilled />, key: 'pass' },
  deny: { bg: '#cf1322', icon: <CloseCircleFilled />, key: 'deny' },
  refused: { bg: '#d4380d', icon: <ExclamationCircleFilled />, key: 'refused' },
} as const;

/** The answer, large enough to read at arm's length in sunlight: colour, word, person, every reason. */
export function DecisionResult({ decision, onNext }: { decision: CheckpointDecision; onNext: () => void }) {
  const { t } = useTranslation();
  const look = LOOK[decision.result];
  return (
    <div data-testid="decision" data-result={decision.result} style={{ borderRadius: 10, overflow: 'hidden', border: `2px solid ${look.bg}`, background: '#fff' }}>
      <Flex vertical align="center" style={{ background: look.bg, color: '#fff', padding: '18px 12px 14px' }}>
        <span style={{ fontSize: 44, lineHeight: 1 }}>{look.icon}</span>
        <span style={{ fontSize: 40, fontWeight: 700, letterSpacing: 4, marginTop: 6 }} data-testid="decision-word">{t(`places.checkpoint.${look.key}`)}</span>
        {decision.personMasked ? <span style={{ fontSize: 24, marginTop: 4 }} data-testid="decision-person">{decision.personMasked}</span> : null}
      </Flex>
      <div style={{ padding: 16 }}>
        {decision.temperature !== null ? (
          <Flex align="center" gap={8} style={{ marginBottom: 8 }}>
            <Typography.Text style={{ fontSize: 20 }} strong>{decision.temperature.toFixed(1)}℃</Typography.Text>
            {decision.fever ? <Tag color="red" style={{ fontSize: 15, padding: '2px 8px' }} data-testid="decision-fever">{t('places.checkpoint.fever')} ≥ {decision.feverThresholdC}℃</Tag> : null}
          </Flex>
        ) : null}
        <Typography.Text type="secondary">{t('places.checkpoint.reasons')}</Typography.Text>
        <ul style={{ paddingLeft: 20, margin: '6px 0 10px', fontSize: 17, lineHeight: 1.6 }} data-testid="decision-reasons">
          {decision.reasons.length === 0 ? <li>{decision.note ?? t('places.checkpoint.noReasons')}</li> : null}
          {decision.reasons.map((r, i) => (
            <li key={`${r.code}-${i}`} style={{ color: r.effect === 'exempt' ? '#237804' : '#a8071a' }}>
              {r.effect === 'exempt' ? <Tag color="green">{t('places.checkpoint.exempt')}</Tag> : null}
              {r.reason}
            </li>
          ))}
          {decision.reasons.length > 0 && decision.note ? <li>{decision.note}</li> : null}
        </ul>
        <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
          {t('places.checkpoint.protocol', { name: decision.protocolName })} · {t('places.checkpoint.recorded', { time: formatDateTimeSeconds(decision.at) })}
        </Typography.Text>
        <Button type="primary" size="large" block style={{ marginTop: 12, height: 52, fontSize: 18 }} onClick={onNext} data-testid="decision-next">
          {t('places.checkpoint.next')}
        </Button>
      </div>
    </div>
  );
}
