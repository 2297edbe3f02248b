import { COMPLAINT_KINDS, untilZh, type Measure } from '@gridline/shared';
import { Alert, App, Button, Card, Flex, Input, Segmented, Select, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useErrorText } from '../../api/hooks';
import { measuresApi } from '../../api/measures';
import { measureLifecycleApi } from '../../api/measures-lifecycle';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { formatDateTime } from '../../lib/time';

/** The notice of each measure I am under (legal basis, protocol, end, rights), an appeal or a complaint, and their outcomes. */
export default function MyMeasuresPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [refresh, setRefresh] = useState(0);
  const measures = useApi((s) => measuresApi.mine(s), [refresh]);
  const appeals = useApi((s) => measuresApi.myAppeals(s), [refresh]);
  const [kind, setKind] = useState<'appeal' | 'complaint'>('appeal');
  const [measureId, setMeasureId] = useState<string | undefined>();
  const [complaintKind, setComplaintKind] = useState<string | undefined>();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  // Opening this page shows each notice (and release certificate) in full: the first view is its delivery.
  const personal = (measures.data ?? []).filter((m) => m.resident).map((m) => `${m.id}:${m.status}`).join(',');
  useEffect(() => {
    const ids = personal ? personal.split(',').map((x) => x.split(':')[0]!) : [];
    if (ids.length) measureLifecycleApi.viewed(ids.slice(0, 50)).catch(() => undefined);
  }, [personal]);

  if (measures.error) return <ErrorState error={measures.error} onRetry={measures.reload} />;
  if (!measures.data) return <LoadingBlock rows={6} card />;
  const list = measures.data;
  const current = list.filter((m) => m.inForce);
  const chosen = measureId ?? current[0]?.id;

  const send = async () => {
    if (text.trim().length < 5) {
      setError(t('measures.portal.textRequired'));
      return;
    }
    setSending(true);
    setError(null);
    try {
      await measuresApi.fileAppeal(kind === 'appeal' ? { kind, measureId: chosen!, text: text.trim() } : { kind, complaintKind: (complaintKind ?? 'other') as never, text: text.trim() });
      message.success(kind === 'appeal' ? t('measures.portal.appealSent') : t('measures.portal.complaintSent'));
      setText('');
      setRefresh((n) => n + 1);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSending(false);
    }
  };

  const notice = (m: Measure) => {
    const basis = m.legalBases[0];
    return (
      <Card key={m.id} data-testid="my-measure" title={<Flex gap={8} align="center" wrap><span>{t(`measures.kind.${m.kind}`)}</span><Tag color={m.inForce ? 'red' : 'default'}>{m.inForce ? t('measures.inForce') : t(`measures.status.${m.status}`)}</Tag></Flex>}>
        <Typography.Paragraph>{t('measures.portal.noticeIntro', { law: basis ? `《${basis.law}》` : '', article: basis?.article ?? '', protocol: m.protocol.name })}</Typography.Paragraph>
        <Typography.Paragraph strong style={{ fontSize: 16 }}>
          {t(`measures.kind.${m.kind}`)}{m.place ? `（${m.place.name}）` : ''}，{formatDateTime(m.startAt).slice(0, 10)} {t('measures.until', { date: untilZh(m.endedAt ?? m.plannedEndAt) })}
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('measures.portal.rights', { level: t(`measures.approval.${m.requiredApproval === 'community' ? 'street' : 'district'}`) })}
        </Typography.Paragraph>
        {m.status === 'ended' && m.endedAt !== null && m.resident ? (
          <Alert type="success" showIcon style={{ marginTop: 12 }} title={t('measures.lifecycle.portalReleased', { date: untilZh(m.endedAt) })} data-testid="my-measure-released" />
        ) : null}
      </Card>
    );
  };

  return (
    <Flex vertical gap={12} data-testid="portal-measures">
      <Typography.Title level={4} style={{ margin: 0 }}>{t('measures.portal.title')}</Typography.Title>
      {list.length ? list.map(notice) : <EmptyState description={t('measures.portal.none')} />}
      <Card title={kind === 'appeal' ? t('measures.portal.appeal') : t('measures.portal.complain')}>
        <Segmented block value={kind} onChange={(v) => setKind(v as 'appeal' | 'complaint')} options={[{ value: 'appeal', label: t('measures.portal.appeal'), disabled: !current.length }, { value: 'complaint', label: t('measures.portal.complainShort') }]} style={{ marginBottom: 12 }} data-testid="appeal-kind" />
        {kind === 'appeal' && current.length > 1 ? (
          <Select style={{ width: '100%', marginBottom: 8 }} value={chosen} onChange={setMeasureId} options={current.map((m) => ({ value: m.id, label: `${t(`measures.kind.${m.kind}`)} ${t('measures.until', { date: untilZh(m.plannedEndAt) })}` }))} />
        ) : null}
        {kind === 'complaint' ? (
          <Select style={{ width: '100%', marginBottom: 8 }} value={complaintKind} onChange={setComplaintKind} placeholder={t('measures.complaint.label')} options={COMPLAINT_KINDS.map((c) => ({ value: c, label: t(`measures.complaint.${c}`) }))} data-testid="complaint-kind" />
        ) : null}
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} /> : null}
        <Input.TextArea rows={3} value={text} onChange={(e) => setText(e.target.value)} placeholder={kind === 'appeal' ? t('measures.portal.appealPlaceholder') : t('measures.portal.complaintText')} maxLength={2000} data-testid="appeal-text" />
        <Button type="primary" block size="large" style={{ marginTop: 12 }} loading={sending} disabled={kind === 'appeal' && !chosen} onClick={() => void send()} data-testid="appeal-send">
          {kind === 'appeal' ? t('measures.portal.appeal') : t('measures.portal.complain')}
        </Button>
      </Card>
      {appeals.data?.length ? (
        <Card title={t('measures.portal.myAppeals')} data-testid="my-appeals">
          <Flex vertical gap={10}>
            {appeals.data.map((a) => (
              <div key={a.id} data-testid="my-appeal">
                <Flex gap={6} align="center" wrap>
                  <Tag>{t(`measures.appeals.kind.${a.kind}`)}</Tag>
                  {a.outcome ? <Tag color={a.outcome === 'revoked' || a.outcome === 'substantiated' ? 'green' : 'default'}>{t(`measures.outcome.${a.outcome}`)}</Tag> : <Tag color="gold">{t('measures.portal.pending', { date: untilZh(a.dueAt) })}</Tag>}
                </Flex>
                <Typography.Paragraph style={{ margin: '4px 0' }}>{a.text}</Typography.Paragraph>
                {a.decision ? <Typography.Text type="secondary">{a.decidedBy}：{a.decision}</Typography.Text> : null}
              </div>
            ))}
          </Flex>
        </Card>
      ) : null}
    </Flex>
  );
}
