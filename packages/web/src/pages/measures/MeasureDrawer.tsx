import { EXEMPTION_CATEGORY_LABELS, untilZh } from '@gridline/shared';
import { Alert, App, Button, Descriptions, Drawer, Flex, Input, InputNumber, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useErrorText } from '../../api/hooks';
import { measureProposalsApi } from '../../api/measure-proposals';
import { measuresApi, type Measure } from '../../api/measures';
import { useAuth } from '../../auth/AuthContext';
import { useIsMobile } from '../../components/PageContainer';
import { ErrorState, LoadingBlock } from '../../components/states';
import { pick } from '../../lib/labels';
import { formatDateTime } from '../../lib/time';
import { ExemptionForm } from '../places/ExemptionForm';
import { DeliveriesSection } from './DeliveriesSection';

export const STATUS_COLORS: Record<Measure['status'], string> = { pending: 'gold', active: 'red', ended: 'default', refused: 'default' };

/** One measure: what, for whom, on what legal basis and protocol version, what the guard found, who decided; approve, refuse or release. */
export function MeasureDrawer(props: { measureId: string | undefined; onClose: () => void; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [granting, setGranting] = useState(false);
  const mobile = useIsMobile();
  const errorText = useErrorText();
  const [note, setNote] = useState('');
  const [extraDays, setExtraDays] = useState(1);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const m = useApi((s) => measuresApi.get(props.measureId!, s), [props.measureId], !!props.measureId);
  // A person's exemptions inside the measure's window (treatment trips while isolated), shown with the measure.
  const exemptions = useApi((s) => measureProposalsApi.exemptions(props.measureId!, s), [props.measureId], !!props.measureId);

  const act = async (fn: () => Promise<Measure>) => {
    if (note.trim().length < 2) {
      setError(t('measures.decisionRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      m.setData(await fn());
      setNote('');
      message.success(t('measures.saved'));
      props.onChanged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const d = m.data;
  return (
    <Drawer open={!!props.measureId} onClose={props.onClose} size={mobile ? '100%' : 560} title={t('measures.detail')} destroyOnHidden data-testid="measure-drawer">
      {m.error ? <ErrorState error={m.error} onRetry={m.reload} /> : null}
      {!d && !m.error ? <LoadingBlock rows={6} /> : null}
      {d ? (
        <Flex vertical gap={12}>
          <Flex align="center" gap={8} wrap>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {d.resident?.name ?? d.regionCode} · {t(`measures.kind.${d.kind}`)}
            </Typography.Title>
            <Tag color={STATUS_COLORS[d.status]} data-testid="measure-status">{d.inForce ? t('measures.inForce') : t(`measures.status.${d.status}`)}</Tag>
          </Flex>
          {d.proportionate ? null : (
            <Alert type="warning" showIcon title={t('measures.assessment.beyond', { level: t(`measures.approval.${d.requiredApproval}`) })} description={<div>{d.excesses.map((f) => <div key={f.code}>{f.message}</div>)}{d.reason ? <div>{t('measures.reasonLabel', { reason: d.reason })}</div> : null}</div>} />
          )}
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('measures.fields.period')}>{`${formatDateTime(d.startAt)} — ${untilZh(d.endedAt ?? d.plannedEndAt)}`}</Descriptions.Item>
            {d.subjectKind ? <Descriptions.Item label={t('measures.subject.label')}>{t(`measures.subject.${d.subjectKind}`)}</Descriptions.Item> : null}
            {d.areaLevel ? <Descriptions.Item label={t('measures.level.label')}>{t(`measures.level.${d.areaLevel}`)}</Descriptions.Item> : null}
            {d.residentsAffected !== undefined ? <Descriptions.Item label={t('measures.areas.residents')}><span data-testid="measure-residents-affected">{t('measures.areas.residentsCount', { count: d.residentsAffected })}</span></Descriptions.Item> : null}
            {d.place ? <Descriptions.Item label={t('measures.fields.place')}>{d.place.name}</Descriptions.Item> : null}
            <Descriptions.Item label={t('measures.fields.legalBasis')}>{d.legalBases.map((b) => `《${b.law}》（${b.lawVersion}）${b.article}`).join('；')}</Descriptions.Item>
            <Descriptions.Item label={t('measures.fields.protocol')}>{d.protocol.name}</Descriptions.Item>
            <Descriptions.Item label={t('measures.fields.requiredApproval')}>{t(`measures.approval.${d.requiredApproval}`)}</Descriptions.Item>
            <Descriptions.Item label={t('measures.fields.createdBy')}>{`${d.createdBy} · ${formatDateTime(d.createdAt)}`}</Descriptions.Item>
            {d.decision ? <Descriptions.Item label={t('measures.fields.decision')}>{`${d.decision.by} · ${formatDateTime(d.decision.at)} · ${d.decision.reason}`}</Descriptions.Item> : null}
            {d.resident ? (
              <Descriptions.Item label={t('measures.proposals.exemptions')}>
                <Flex vertical gap={4} align="start" data-testid="measure-exemptions">
                  {(exemptions.data ?? []).map((e) => (
                    <Typography.Text key={e.id} delete={e.revokedAt !== null} type={e.active ? undefined : 'secondary'}>
                      {t('measures.proposals.exemptionLine', { category: pick(EXEMPTION_CATEGORY_LABELS[e.category], i18n.language, e.category), reason: e.reason, from: formatDateTime(e.validFrom), until: formatDateTime(e.validUntil) })}
                      {e.revokedAt !== null ? t('measures.proposals.revoked') : ''}
                    </Typography.Text>
                  ))}
                  {exemptions.data && exemptions.data.length === 0 ? <Typography.Text type="secondary">{t('measures.proposals.noExemptions')}</Typography.Text> : null}
                  {d.inForce && can('place.write') ? (
                    <Button size="small" onClick={() => setGranting(true)} data-testid="measure-quick-exemption">{t('measures.proposals.quickExemption')}</Button>
                  ) : null}
                </Flex>
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          <DeliveriesSection key={`${d.id}:${d.status}`} measureId={d.id} status={d.status} personMeasure={d.kind !== 'area_control'} />
          {error ? <Alert type="error" showIcon title={error} /> : null}
          {(d.status === 'pending' && can('measure.approve')) || (d.inForce && can('measure.write')) ? (
            <Input.TextArea rows={2} value={note} onChange={(e) => setNote(e.target.value)} placeholder={d.status === 'pending' ? t('measures.decisionReason') : t('measures.releaseOrExtendNote')} data-testid="measure-note" />
          ) : null}
          <Flex gap={8} justify="end" wrap>
            {d.status === 'pending' && can('measure.approve') ? (
              <>
                <Button danger loading={busy} onClick={() => void act(() => measuresApi.decide(d.id, false, note.trim()))} data-testid="measure-refuse">{t('measures.refuse')}</Button>
                <Button type="primary" loading={busy} onClick={() => void act(() => measuresApi.decide(d.id, true, note.trim()))} data-testid="measure-approve">{t('measures.approve')}</Button>
              </>
            ) : null}
            {d.inForce && can('measure.write') && d.kind !== 'area_control' ? (
              <Flex gap={4} align="center">
                <InputNumber min={1} max={30} value={extraDays} onChange={(v) => setExtraDays(v ?? 1)} style={{ width: 70 }} aria-label={t('measures.fields.days')} />
                <Button loading={busy} onClick={() => void act(() => measuresApi.extend(d.id, extraDays, note.trim()))} data-testid="measure-extend">{t('measures.extend')}</Button>
              </Flex>
            ) : null}
            {d.inForce && can('measure.write') ? (
              <Button loading={busy} onClick={() => void act(() => measuresApi.release(d.id, note.trim()))} data-testid="measure-release">{t('measures.release')}</Button>
            ) : null}
          </Flex>
        </Flex>
      ) : null}
      {d?.resident ? (
        <ExemptionForm
          open={granting}
          quick={{ residentId: d.resident.id, name: d.resident.name, until: d.endedAt ?? d.plannedEndAt }}
          onClose={() => setGranting(false)}
          onSaved={() => {
            setGranting(false);
            exemptions.reload();
          }}
        />
      ) : null}
    </Drawer>
  );
}
