import type { ClockView } from '@gridline/shared';
import { Space, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../lib/time';
import { hours } from './tracingLabels';

/** The 24-hour clock of one case as tags: identified, notified, elapsed; red when at risk or missed. */
export function ClockTags({ clock }: { clock: ClockView }) {
  const { t } = useTranslation();
  const color = clock.met === true ? 'green' : clock.met === false || clock.atRisk ? 'red' : 'processing';
  const state = clock.met === true ? t('tracing.clock.met') : clock.met === false ? t('tracing.clock.missed') : t('tracing.clock.running');
  return (
    <Space wrap size={4} data-testid="clock-tags">
      <Tooltip title={t('tracing.clock.hint')}>
        <Tag color={color} data-testid="clock-state">
          {t('tracing.clock.title')}：{state} · {t('tracing.clock.elapsed')} {t('tracing.clock.hours', { h: hours(clock.elapsedMs) })}
        </Tag>
      </Tooltip>
      <Tag>{t('tracing.clock.identified')}：{clock.identifiedAt ? formatDateTime(clock.identifiedAt) : '—'}</Tag>
      <Tag>{t('tracing.clock.notified')}：{clock.notifiedAt ? formatDateTime(clock.notifiedAt) : '—'}</Tag>
    </Space>
  );
}
