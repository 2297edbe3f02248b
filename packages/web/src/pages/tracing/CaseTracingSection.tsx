import { CheckOutlined, CloseOutlined, FileExcelOutlined, FileWordOutlined, NotificationOutlined, PlusOutlined, RadarChartOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Contact, ContactEvidence } from '@gridline/shared';
import { Alert, App, Button, Card, Flex, Space, Table, Tag, Typography } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useNotifyError } from '../../api/hooks';
import { tracingApi } from '../../api/tracing';
import { useAuth } from '../../auth/AuthContext';
import { useIsMobile } from '../../components/PageContainer';
import { ErrorState, LoadingBlock } from '../../components/states';
import { formatDateTime } from '../../lib/time';
import { EnterContactModal } from './EnterContactModal';
import { ClockTags } from './ClockTags';
import { CATEGORY_COLORS, STATUS_COLORS, useTracingLabels } from './tracingLabels';

/**
 * 流调 for one case, shown on the case's page: the look-back window, the 24-hour clock, the proposed and
 * confirmed contacts with their evidence, bulk decisions (select many → confirm / reject / mark notified),
 * contacts entered by hand, and the report (DOCX/XLSX).
 */
export default function CaseTracingSection({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const notifyError = useNotifyError();
  const mobile = useIsMobile();
  const labels = useTracingLabels();
  const data = useApi((s) => tracingApi.ofCase(caseId, s), [caseId]);
  const [selected, setSelected] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [entering, setEntering] = useState(false);
  const writable = can('trace.write');

  if (data.error) return <ErrorState error={data.error} onRetry={data.reload} />;
  if (!data.data) return <LoadingBlock rows={6} card />;
  const d = data.data;

  const runTrace = async () => {
    setBusy(true);
    try {
      const r = await tracingApi.trace(caseId);
      void message.success(t('tracing.traceDone', { added: r.added, merged: r.merged }));
      data.reload();
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };
  const bulk = async (action: 'confirm' | 'reject' | 'notify') => {
    setBusy(true);
    try {
      const r = await tracingApi.bulk({ ids: selected, action });
      void message.success(t('tracing.bulk.done', { updated: r.updated, skipped: r.skipped, tasks: r.tasksCreated }));
      setSelected([]);
      data.reload();
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };
  const evidenceText = (e: ContactEvidence) => {
    if (e.kind === 'colocation') {
      return t('tracing.evidence.colocation', {
        place: e.placeName, caseAt: (e.caseScans ?? []).map((x) => formatDateTime(x).slice(5)).join('、'), contactAt: (e.contactScans ?? []).map((x) => formatDateTime(x).slice(5)).join('、'),
        minutes: e.overlapMinutes, from: formatDateTime(e.from ?? 0).slice(11), to: formatDateTime(e.to ?? 0).slice(11),
      });
    }
    if (e.kind === 'household') return t('tracing.evidence.household', { address: e.address || '—' });
    if (e.kind === 'secondary') return t('tracing.evidence.secondary', { via: e.viaName });
    return t('tracing.evidence.entered', { by: e.by, note: e.note ? `：${e.note}` : '' });
  };

  const w = d.window;
  return (
    <Card
      size="small"
      title={<Space><RadarChartOutlined />{t('tracing.section')}</Space>}
      data-testid="case-tracing"
      style={{ marginTop: 16 }}
      extra={
        <Space wrap>
          <Button size="small" icon={<ReloadOutlined spin={data.loading} />} onClick={data.reload} aria-label={t('common.refresh')} />
          <Button size="small" icon={<FileWordOutlined />} href={tracingApi.reportUrl(caseId, 'docx')} download data-testid="report-docx" title={t('tracing.exportDocx')}>
            {mobile ? null : 'Word'}
          </Button>
          <Button size="small" icon={<FileExcelOutlined />} href={tracingApi.reportUrl(caseId, 'xlsx')} download data-testid="report-xlsx" title={t('tracing.exportXlsx')}>
            {mobile ? null : 'Excel'}
          </Button>
        </Space>
      }
    >
      {w ? (
        <Typography.Paragraph style={{ marginBottom: 8 }} data-testid="trace-window">
          <Typography.Text type="secondary">{t('tracing.window')}：</Typography.Text>
          {t('tracing.windowText', { from: formatDateTime(w.from), to: formatDateTime(w.to), anchor: t(`tracing.anchor.${w.anchor}`), days: w.lookbackDays, protocol: w.protocolName })}
        </Typography.Paragraph>
      ) : (
        <Alert type="warning" showIcon message={t('tracing.noWindow')} style={{ marginBottom: 8 }} />
      )}
      {d.clock ? <ClockTags clock={d.clock} /> : null}
      {writable ? (
        <Flex gap={8} wrap="wrap" style={{ margin: '12px 0' }}>
          <Button type="primary" icon={<RadarChartOutlined />} loading={busy} disabled={!w} onClick={() => void runTrace()} data-testid="trace-run">{t('tracing.trace')}</Button>
          <Button icon={<PlusOutlined />} onClick={() => setEntering(true)} data-testid="contact-enter">{t('tracing.enter')}</Button>
        </Flex>
      ) : null}
      {d.counts.elsewhere ? <Alert type="info" showIcon message={t('tracing.elsewhere', { n: d.counts.elsewhere })} style={{ marginBottom: 8 }} /> : null}
      {writable && selected.length ? (
        <Flex gap={8} wrap="wrap" align="center" style={{ marginBottom: 8, padding: 8, background: 'rgba(22,119,255,0.06)', borderRadius: 6 }} data-testid="bulk-bar">
          <Typography.Text strong>{t('tracing.selected', { n: selected.length })}</Typography.Text>
          <Button size="small" type="primary" icon={<CheckOutlined />} loading={busy} onClick={() => void bulk('confirm')} data-testid="bulk-confirm">{t('tracing.bulk.confirm')}</Button>
          <Button size="small" icon={<NotificationOutlined />} loading={busy} onClick={() => void bulk('notify')} data-testid="bulk-notify">{t('tracing.bulk.notify')}</Button>
          <Button
            size="small" danger icon={<CloseOutlined />} loading={busy} data-testid="bulk-reject"
            onClick={() => modal.confirm({ title: t('tracing.rejectConfirm', { n: selected.length }), onOk: () => bulk('reject') })}
          >
            {t('tracing.bulk.reject')}
          </Button>
        </Flex>
      ) : null}
      <Table<Contact>
        size="small"
        rowKey="id"
        dataSource={d.contacts}
        pagination={d.contacts.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        scroll={{ x: 760 }}
        locale={{ emptyText: t('tracing.empty') }}
        data-testid="contacts-table"
        rowSelection={writable ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)) } : undefined}
        expandable={{
          expandedRowRender: (c) => (
            <ul style={{ margin: 0, paddingInlineStart: 18 }} data-testid="contact-evidence">
              {c.evidence.map((e, i) => <li key={i}>{evidenceText(e)}</li>)}
            </ul>
          ),
        }}
        onRow={(c) => ({ 'data-testid': 'contact-row', 'data-name': c.personName }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('tracing.columns.name'), key: 'name', fixed: 'left', width: 110, render: (_, c) => <><Typography.Text strong>{c.personName}</Typography.Text><div style={{ fontSize: 12, color: '#888' }}>{c.relation}</div></> },
          { title: t('tracing.columns.category'), key: 'category', width: 110, render: (_, c) => <Tag color={CATEGORY_COLORS[c.category]}>{labels.category(c.category)}</Tag> },
          { title: t('tracing.columns.status'), key: 'status', width: 90, render: (_, c) => <Tag color={STATUS_COLORS[c.status]} data-testid="contact-status">{t(`tracing.status.${c.status}`)}</Tag> },
          { title: t('tracing.columns.source'), key: 'source', width: 130, render: (_, c) => labels.source(c.source) },
          { title: t('tracing.columns.exposure'), key: 'exposure', width: 140, render: (_, c) => formatDateTime(c.exposureAt) },
          { title: t('tracing.columns.phone'), key: 'phone', width: 120, render: (_, c) => c.phoneMasked ?? '—' },
          { title: t('tracing.columns.notified'), key: 'notified', width: 120, render: (_, c) => (c.notifiedAt ? formatDateTime(c.notifiedAt) : '—') },
          { title: t('tracing.columns.evidence'), key: 'evidence', render: (_, c) => <Typography.Text type="secondary" ellipsis style={{ maxWidth: 260 }}>{c.evidence[0] ? evidenceText(c.evidence[0]) : ''}</Typography.Text> },
        ]}
      />
      {entering ? (
        <EnterContactModal
          caseId={caseId}
          onClose={(saved) => {
            setEntering(false);
            if (saved) data.reload();
          }}
        />
      ) : null}
    </Card>
  );
}
