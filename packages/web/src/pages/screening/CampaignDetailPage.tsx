import { EditOutlined, ExportOutlined, MobileOutlined, PlayCircleOutlined, StopOutlined } from '@ant-design/icons';
import { describeReason, SCREENING_LABELS } from '@gridline/shared';
import { App, Button, Card, Col, List, Modal, Popconfirm, Row, Statistic, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useApi, useJob, useNotifyError } from '../../api/hooks';
import { useLiveEvents } from '../../api/live';
import { screeningApi, type Campaign } from '../../api/screening';
import { useAuth } from '../../auth/AuthContext';
import { JobProgress } from '../../components/JobProgress';
import { PageContainer, useIsMobile } from '../../components/PageContainer';
import { ErrorState, LoadingBlock } from '../../components/states';
import { isZh, pick } from '../../lib/labels';
import { AssignmentsTab } from './AssignmentsTab';
import { CampaignDrawer } from './CampaignDrawer';
import { AbnormalTab, FollowUpTab } from './ListTabs';
import { ProgressTab } from './ProgressTab';
import { STATUS_COLOR } from './ScreeningPage';

function Totals({ c }: { c: Campaign }) {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const cells = [
    { key: 'total', value: c.totals.householdsTotal },
    { key: 'visited', value: c.totals.visited, color: '#389e0d' },
    { key: 'nobodyHome', value: c.totals.nobodyHome },
    { key: 'notReached', value: c.totals.notReached },
    { key: 'screened', value: c.totals.residentsScreened },
    { key: 'abnormal', value: c.totals.abnormalResidents, color: c.totals.abnormalResidents ? '#d46b08' : undefined },
    { key: 'coverage', value: `${Math.round(c.totals.coverage * 100)}%` },
  ];
  return (
    <Row gutter={[12, 12]} style={{ marginBottom: 12 }} data-testid="campaign-totals">
      {cells.map((x) => (
        <Col key={x.key} xs={12} sm={8} flex={mobile ? undefined : '1 1 140px'}>
          <Card size="small">
            <Statistic title={t(`screening.progress.${x.key}`)} value={x.value} styles={{ content: { fontSize: mobile ? 20 : 24, ...(x.color ? { color: x.color } : {}) }, title: { fontSize: 12 } }} />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

function QuestionnaireView({ c }: { c: Campaign }) {
  const { t, i18n } = useTranslation();
  const lang = isZh(i18n.language) ? 'zh' : 'en';
  return (
    <List
      size="small"
      bordered
      dataSource={c.questionnaire.items}
      renderItem={(item) => (
        <List.Item>
          <div>
            <Typography.Text strong>{item.label}</Typography.Text> {item.required ? <Tag color="red">{t('screening.editor.required')}</Tag> : null}
            <Tag>{pick(SCREENING_LABELS.kind[item.kind], i18n.language)}</Tag>
            {item.options?.length ? <div><Typography.Text type="secondary">{item.options.map((o) => o.label).join(' / ')}</Typography.Text></div> : null}
            {item.flagged?.length ? <div><Typography.Text type="warning">{t('screening.editor.flagged')} {item.flagged.map((f) => describeReason(c.questionnaire, `${item.id}:${f}`, lang)).join('、')}</Typography.Text></div> : null}
          </div>
        </List.Item>
      )}
    />
  );
}

/** One campaign: coverage on the map and per grid, households to follow up, abnormal residents, who covers which grid, the questionnaire. */
export default function CampaignDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { can } = useAuth();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const navigate = useNavigate();
  const [refreshKey, setRefreshKey] = useState(0);
  const [editing, setEditing] = useState(false);
  const [grid, setGrid] = useState<string | undefined>(undefined);
  const [tab, setTab] = useState('progress');
  const [jobId, setJobId] = useState<string | undefined>(undefined);
  const { job } = useJob(jobId);
  const campaign = useApi((s) => screeningApi.get(id, s), [id, refreshKey]);
  const progress = useApi((s) => screeningApi.progress(id, s), [id, refreshKey]);
  // Visits recorded anywhere in my part of the campaign refresh the numbers (at most every few seconds).
  const [lastLive, setLastLive] = useState(0);
  useLiveEvents(['screening.changed'], () => {
    if (Date.now() - lastLive < 3000) return;
    setLastLive(Date.now());
    setRefreshKey((k) => k + 1);
  });

  if (campaign.error) return <ErrorState error={campaign.error} onRetry={campaign.reload} />;
  const c = campaign.data;
  if (!c) return <LoadingBlock rows={10} card />;
  const manage = can('screening.manage');
  const act = async (fn: () => Promise<Campaign>, done: string) => {
    try {
      campaign.setData(await fn());
      void message.success(done);
      setRefreshKey((k) => k + 1);
    } catch (err) {
      notifyError(err);
    }
  };
  const exportReport = async () => {
    try {
      setJobId((await screeningApi.exportReport(c.id)).id);
    } catch (err) {
      notifyError(err);
    }
  };
  const grids = progress.data?.grids ?? [];
  const extra = (
    <>
      {manage && c.status === 'draft' ? (
        <Popconfirm title={t('screening.detail.activateConfirm')} okText={t('screening.detail.activate')} cancelText={t('common.cancel')} onConfirm={() => void act(() => screeningApi.activate(c.id, c.version), t('screening.detail.activated'))}>
          <Button type="primary" icon={<PlayCircleOutlined />} data-testid="campaign-activate">{t('screening.detail.activate')}</Button>
        </Popconfirm>
      ) : null}
      {manage && c.status !== 'closed' ? <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>{t('common.edit')}</Button> : null}
      {can('screening.visit') && c.status === 'active' ? <Button icon={<MobileOutlined />} onClick={() => navigate(`/field/${c.id}`)}>{t('screening.list.field')}</Button> : null}
      <Button icon={<ExportOutlined />} onClick={() => void exportReport()} disabled={c.status === 'draft'} data-testid="campaign-export">{t('screening.detail.export')}</Button>
      {manage && c.status === 'active' ? (
        <Popconfirm title={t('screening.detail.closeConfirm')} okText={t('screening.detail.close')} okButtonProps={{ danger: true }} cancelText={t('common.cancel')} onConfirm={() => void act(() => screeningApi.close(c.id, c.version), t('screening.detail.closed'))}>
          <Button danger icon={<StopOutlined />}>{t('screening.detail.close')}</Button>
        </Popconfirm>
      ) : null}
    </>
  );
  const subTitle = (
    <span>
      <Tag color={STATUS_COLOR[c.status]}>{t(`screening.status.${c.status}`)}</Tag>
      <Typography.Text type="secondary">{c.nodeName} · {c.startsOn} ~ {c.endsOn} · {t('screening.detail.grids', { count: c.gridCount })}</Typography.Text>
    </span>
  );
  return (
    <PageContainer title={c.name} subTitle={subTitle} extra={extra} testId="campaign-detail">
      <Totals c={c} />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'progress', label: t('screening.detail.tabProgress'), children: progress.error ? <ErrorState error={progress.error} onRetry={progress.reload} /> : <ProgressTab campaignId={c.id} progress={progress.data} refreshKey={refreshKey} onPickGrid={(g) => { setGrid(g); setTab('followUp'); }} /> },
          { key: 'followUp', label: t('screening.detail.tabFollowUp', { count: c.totals.notReached + c.totals.nobodyHome }), children: <FollowUpTab campaignId={c.id} grids={grids} grid={grid} onGrid={setGrid} refreshKey={refreshKey} /> },
          { key: 'abnormal', label: t('screening.detail.tabAbnormal', { count: c.totals.abnormalResidents }), children: <AbnormalTab campaignId={c.id} questionnaire={c.questionnaire} grids={grids} grid={grid} onGrid={setGrid} refreshKey={refreshKey} /> },
          ...(manage ? [{ key: 'assign', label: t('screening.detail.tabAssign'), children: <AssignmentsTab campaignId={c.id} closed={c.status === 'closed'} onChanged={() => setRefreshKey((k) => k + 1)} /> }] : []),
          { key: 'questionnaire', label: t('screening.detail.tabQuestionnaire'), children: <QuestionnaireView c={c} /> },
        ]}
      />
      <CampaignDrawer open={editing} campaign={c} onClose={() => setEditing(false)} onSaved={(s) => { setEditing(false); campaign.setData(s); }} />
      <Modal open={!!jobId} title={t('screening.detail.export')} onCancel={() => setJobId(undefined)} footer={null} destroyOnHidden>
        {job ? <JobProgress job={job} downloadLabel={t('screening.detail.download')} /> : <LoadingBlock rows={2} />}
      </Modal>
    </PageContainer>
  );
}
