import { untilZh, type Appeal } from '@gridline/shared';
import { Alert, App, Button, Card, Flex, Input, Modal, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useErrorText } from '../../api/hooks';
import { measuresApi } from '../../api/measures';
import { useAuth } from '../../auth/AuthContext';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { formatDateTime } from '../../lib/time';

const OUTCOMES = { appeal: ['upheld', 'revoked', 'modified'], complaint: ['substantiated', 'unsubstantiated'] } as const;

/** Appeals to decide (open first, soonest due first) and, for the auditor, complaints about conduct. */
export function AppealsTab(props: { onMeasure: (id: string) => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [refresh, setRefresh] = useState(0);
  const [deciding, setDeciding] = useState<Appeal | null>(null);
  const [outcome, setOutcome] = useState<string | undefined>();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const list = useApi((s) => measuresApi.appeals({ pageSize: 100 }, s), [refresh]);

  const decide = async () => {
    if (!deciding || !outcome || text.trim().length < 4) {
      setError(t('measures.decisionRequired'));
      return;
    }
    try {
      await measuresApi.decideAppeal(deciding.id, { outcome: outcome as never, decision: text.trim() });
      message.success(t('measures.saved'));
      setDeciding(null);
      setRefresh((n) => n + 1);
    } catch (err) {
      setError(errorText(err));
    }
  };

  if (list.error) return <ErrorState error={list.error} onRetry={list.reload} />;
  if (!list.data) return <LoadingBlock rows={4} card />;
  if (!list.data.items.length) return <EmptyState description={t('measures.appeals.empty')} />;
  return (
    <Flex vertical gap={10} data-testid="appeals-list">
      {list.data.items.map((a) => (
        <Card key={a.id} size="small" data-testid="appeal-card">
          <Flex justify="space-between" align="start" gap={8} wrap>
            <div style={{ minWidth: 0, flex: 1 }}>
              <Flex gap={6} wrap align="center">
                <Tag color={a.kind === 'complaint' ? 'purple' : 'blue'}>{t(`measures.appeals.kind.${a.kind}`)}</Tag>
                {a.complaintKind ? <Tag>{t(`measures.complaint.${a.complaintKind}`)}</Tag> : null}
                {a.measureKind ? <Button type="link" size="small" style={{ padding: 0 }} onClick={() => props.onMeasure(a.measureId!)}>{t(`measures.kind.${a.measureKind}`)}</Button> : null}
                {a.status === 'open' ? <Tag color={a.overdue ? 'red' : 'gold'}>{a.overdue ? t('measures.appeals.overdue') : t('measures.appeals.open')}</Tag> : <Tag color="green">{t(`measures.outcome.${a.outcome}`)}</Tag>}
              </Flex>
              <Typography.Paragraph style={{ margin: '6px 0' }}>{a.text}</Typography.Paragraph>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {a.filedBy} · {formatDateTime(a.filedAt)} · {t('measures.appeals.due')} {untilZh(a.dueAt)} · {t('measures.appeals.handler')} {a.handlerLevel === 'auditor' ? t('measures.appeals.auditor') : t(`measures.approval.${a.handlerLevel}`)}
              </Typography.Text>
              {a.decision ? <div><Typography.Text type="secondary">{a.decidedBy}：{a.decision}</Typography.Text></div> : null}
            </div>
            {a.status === 'open' && can('appeal.decide') ? (
              <Button type="primary" onClick={() => { setDeciding(a); setOutcome(undefined); setText(''); setError(null); }} data-testid="appeal-decide">
                {t('measures.appeals.decide')}
              </Button>
            ) : null}
          </Flex>
        </Card>
      ))}
      <Modal open={!!deciding} onCancel={() => setDeciding(null)} onOk={() => void decide()} title={t('measures.appeals.decide')} okButtonProps={{ 'data-testid': 'appeal-decide-ok' } as never} destroyOnHidden>
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} /> : null}
        <Select
          style={{ width: '100%', marginBottom: 8 }}
          placeholder={t('measures.appeals.outcome')}
          value={outcome}
          onChange={setOutcome}
          options={(deciding ? OUTCOMES[deciding.kind] : []).map((o) => ({ value: o, label: t(`measures.outcome.${o}`) }))}
          data-testid="appeal-outcome"
        />
        <Input.TextArea rows={3} value={text} onChange={(e) => setText(e.target.value)} placeholder={t('measures.appeals.decision')} data-testid="appeal-decision" />
      </Modal>
    </Flex>
  );
}
