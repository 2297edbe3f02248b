import { EnvironmentOutlined, TableOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Popconfirm, Table, Tag, Typography } from 'antd';
import { lazy, Suspense, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../../api/client';
import { regionsApi, systemApi } from '../../api/endpoints';
import { useApi } from '../../api/hooks';
import { measureAreasApi, type AreaControl } from '../../api/measure-areas';
import { useAuth } from '../../auth/AuthContext';
import { useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { useLabels } from '../../lib/labels';
import { formatDateTime } from '../../lib/time';
import { LEVEL_COLOURS } from './area-colours';

const AreasMap = lazy(() => import('./AreasMap'));

/**
 * 区域管控: the controlled areas on the map (coloured by level) and, beside it, each control with the residents it
 * affects and its lifting status; a control whose rule is met can be stepped down or lifted from here.
 */
export function AreasTab({ onMeasure }: { onMeasure: (id: string) => void }) {
  const { t } = useTranslation();
  const { can, me } = useAuth();
  const { message } = App.useApp();
  const labels = useLabels();
  const mobile = useIsMobile();
  const [busy, setBusy] = useState<string | null>(null);
  const list = useApi((s) => measureAreasApi.list(s), []);
  const config = useApi((s) => systemApi.config(s), []);
  const node = me?.nodeCode;
  const context = useApi((s) => regionsApi.map(node ?? '', s), [node], !!node && can('region.read'));

  const act = async (c: AreaControl) => {
    setBusy(c.id);
    try {
      const r = await measureAreasApi.stepDown(c.id, c.version);
      const to = r.created?.areaLevel ? t(`measures.level.${r.created.areaLevel}`) : '';
      void message.success(t(`measures.areas.done.${r.outcome}`, { name: c.nodeName, level: to }));
      list.reload();
    } catch (err) {
      // The refusal names what is missing (field messages) or who must decide (details.reason).
      const e = toApiError(err);
      const reason = typeof e.details.reason === 'string' ? e.details.reason : '';
      void message.error(e.fields.map((f) => f.message).join('；') || reason || e.text(labels.lang));
    } finally {
      setBusy(null);
    }
  };

  if (list.error) return <ErrorState error={list.error} onRetry={list.reload} />;
  if (!list.data) return <LoadingBlock rows={6} card />;
  const items = list.data.items;
  if (!items.length) return <EmptyState description={t('measures.areas.empty')} />;
  const residents = items.reduce((n, c) => n + c.residents, 0);
  const met = items.filter((c) => c.lifting.status === 'met' && !c.pendingStepDown).length;

  const levelTag = (c: AreaControl) => <Tag color={LEVEL_COLOURS[c.areaLevel]} style={{ marginInlineEnd: 0 }}>{t(`measures.level.${c.areaLevel}`)}</Tag>;
  const proposal = (c: AreaControl) => (c.lifting.stepsDownTo ? t('measures.areas.stepDownTo', { level: t(`measures.level.${c.lifting.stepsDownTo}`) }) : t('measures.areas.lift'));
  const status = (c: AreaControl): ReactNode => {
    if (c.pendingStepDown) return <Tag color="gold">{t('measures.areas.pending', { level: t(`measures.level.${c.pendingStepDown.toLevel}`) })}</Tag>;
    if (c.lifting.status === 'met') return <Typography.Text type="success" strong data-testid="area-met">{t('measures.areas.met', { day: c.lifting.metOn, what: proposal(c) })}</Typography.Text>;
    if (c.lifting.status === 'no_rule') return <Typography.Text type="secondary">{c.lifting.missing.join('；')}</Typography.Text>;
    return (
      <Flex vertical gap={2} data-testid="area-missing">
        {c.lifting.missing.map((m) => <Typography.Text key={m} type="warning">{m}</Typography.Text>)}
      </Flex>
    );
  };
  const action = (c: AreaControl): ReactNode =>
    c.lifting.status === 'met' && !c.pendingStepDown && can('measure.write') ? (
      <Popconfirm
        title={t('measures.areas.confirmTitle', { what: proposal(c) })}
        description={t(c.lifting.stepsDownTo ? 'measures.areas.confirmStepDown' : 'measures.areas.confirmLift', { name: c.nodeName, residents: c.residents, level: c.lifting.stepsDownTo ? t(`measures.level.${c.lifting.stepsDownTo}`) : '' })}
        okText={t('measures.areas.confirmOk')}
        cancelText={t('common.cancel')}
        onConfirm={() => act(c)}
      >
        <Button type="primary" danger={false} size={mobile ? 'large' : 'middle'} loading={busy === c.id} data-testid="area-step-down" block={mobile}>
          {t('measures.areas.action')}
        </Button>
      </Popconfirm>
    ) : null;
  const where = (c: AreaControl) => (
    <Flex vertical gap={0}>
      <Typography.Link strong onClick={() => onMeasure(c.id)}>{c.nodeName}</Typography.Link>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {c.placeName ? `${c.placeName} · ` : ''}
        {labels.level(c.nodeLevel)}
        {c.map?.inherited ? ` · ${t('measures.areas.inherited', { parent: c.map.name })}` : ''}
        {!c.map ? ` · ${t('measures.areas.noShape')}` : ''}
      </Typography.Text>
    </Flex>
  );
  const anyShape = items.some((c) => c.map);

  return (
    <Flex vertical gap={12} data-testid="areas-tab">
      <Typography.Text data-testid="areas-summary">{t('measures.areas.summary', { count: items.length, residents, met })}</Typography.Text>
      <Card size="small" title={<span><EnvironmentOutlined /> {t('measures.areas.map.title')}</span>}>
        {anyShape ? (
          <Suspense fallback={<LoadingBlock rows={8} />}>
            <AreasMap items={items} config={config.data} context={context.data} onPick={onMeasure} />
          </Suspense>
        ) : (
          <EmptyState description={t('measures.areas.map.none')} />
        )}
        {items.some((c) => c.map?.inherited) ? <Typography.Text type="secondary" style={{ display: 'block', marginTop: 6, fontSize: 12 }}>{t('measures.areas.map.inheritedNote')}</Typography.Text> : null}
      </Card>
      {mobile ? (
        <Flex vertical gap={10} data-testid="areas-cards">
          {items.map((c) => (
            <Card key={c.id} size="small" data-testid="area-card">
              <Flex justify="space-between" align="start" gap={8}>
                {where(c)}
                {levelTag(c)}
              </Flex>
              <Typography.Text style={{ display: 'block', marginTop: 6 }}>
                {t('measures.areas.since', { at: formatDateTime(c.startAt) })} · <span data-testid="area-residents">{t('measures.areas.residentsCount', { count: c.residents })}</span>
              </Typography.Text>
              <div style={{ marginTop: 6 }}>{status(c)}</div>
              {action(c) ? <div style={{ marginTop: 10 }}>{action(c)}</div> : null}
            </Card>
          ))}
        </Flex>
      ) : (
        <Card size="small" title={<span><TableOutlined /> {t('measures.areas.table')}</span>} styles={{ body: { padding: 0 } }}>
          <Table<AreaControl>
            rowKey="id"
            size="middle"
            dataSource={items}
            pagination={false}
            scroll={{ x: 'max-content' }}
            data-testid="areas-table"
            columns={[
              { title: t('measures.areas.fields.node'), key: 'node', render: (_: unknown, c) => where(c) },
              { title: t('measures.areas.fields.level'), key: 'level', render: (_: unknown, c) => levelTag(c) },
              { title: t('measures.areas.fields.since'), key: 'since', render: (_: unknown, c) => formatDateTime(c.startAt) },
              { title: t('measures.areas.fields.residents'), key: 'residents', align: 'right', render: (_: unknown, c) => <span data-testid="area-residents">{t('measures.areas.residentsCount', { count: c.residents })}</span> },
              { title: t('measures.areas.fields.lifting'), key: 'lifting', render: (_: unknown, c) => status(c) },
              { title: '', key: 'action', render: (_: unknown, c) => action(c) },
            ]}
          />
        </Card>
      )}
    </Flex>
  );
}
