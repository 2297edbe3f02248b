import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { TASK_TYPES, type TaskListQuery } from '@gridline/shared';
import { Button, Card, Col, Flex, Pagination, Row, Segmented, Select, Statistic } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useApi } from '../../api/hooks';
import { useLiveEvents } from '../../api/live';
import { tasksApi, type Task } from '../../api/tasks';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer, useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { useHealthLabels } from '../health/healthLabels';
import { CreateTaskModal } from './CreateTaskModal';
import { TaskCard } from './TaskCard';
import { TaskDrawer } from './TaskDrawer';

const VIEWS = ['pending', 'overdue', 'done', 'all'] as const;
type View = (typeof VIEWS)[number];

function queryOf(view: View, type: string | undefined, assignee: string | undefined, page: number): TaskListQuery {
  const q: TaskListQuery = { page, pageSize: 20 };
  if (view === 'pending') q.status = ['open', 'in_progress'];
  if (view === 'overdue') q.overdue = true;
  if (view === 'done') q.status = ['done', 'cancelled'];
  if (type) q.type = type as TaskListQuery['type'];
  if (assignee === 'me' || assignee === 'none') q.assignee = assignee;
  return q;
}

/** 我的任务: the follow-ups of my grid (or everything under my node), still to do first, overdue in red; phone-first. */
export default function TasksPage() {
  const { t } = useTranslation();
  const { can, me } = useAuth();
  const mobile = useIsMobile();
  const labels = useHealthLabels();
  const [sp, setSp] = useSearchParams();
  const view = (VIEWS as readonly string[]).includes(sp.get('view') ?? '') ? (sp.get('view') as View) : 'pending';
  const type = sp.get('type') ?? undefined;
  const assignee = sp.get('assignee') ?? undefined;
  const page = Number(sp.get('page') ?? 1) || 1;
  const taskId = sp.get('task') ?? undefined;
  const [refresh, setRefresh] = useState(0);
  const [creating, setCreating] = useState(false);
  const list = useApi((s) => tasksApi.list(queryOf(view, type, assignee, page), s), [view, type, assignee, page, refresh]);
  // New or changed tasks in my jurisdiction (a resident's fever, a colleague's update) show up at once.
  useLiveEvents(['task.changed'], () => setRefresh((n) => n + 1));

  const set = (patch: Record<string, string | undefined>) =>
    setSp((prev) => {
      const next = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(patch)) {
        if (v) next.set(k, v);
        else next.delete(k);
      }
      if (!('page' in patch)) next.delete('page');
      return next;
    });
  const open = (x: Task) => set({ task: x.id, page: sp.get('page') ?? undefined });
  const c = list.data?.counts;
  const node = me?.nodePath[me.nodePath.length - 1]?.name;

  const stat = (key: 'open' | 'inProgress' | 'overdue' | 'doneToday', target: View, color?: string) => (
    <Col xs={6}>
      <Card size="small" hoverable onClick={() => set({ view: target })} styles={{ body: { padding: mobile ? '8px 6px' : 12 } }} data-testid={`tasks-count-${key}`}>
        <Statistic title={t(`tasks.counts.${key}`)} value={c?.[key] ?? 0} styles={{ content: { fontSize: mobile ? 20 : 24, ...(color && c?.[key] ? { color } : {}) }, title: { fontSize: 12 } }} />
      </Card>
    </Col>
  );

  return (
    <PageContainer
      testId="tasks-page"
      title={t('tasks.pageTitle')}
      subTitle={node ? t('tasks.subtitle', { node }) : undefined}
      extra={
        <>
          <Button icon={<ReloadOutlined spin={list.loading} />} onClick={() => setRefresh((n) => n + 1)} aria-label={t('common.refresh')} />
          {can('task.write') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="task-create">
              {t('tasks.create')}
            </Button>
          ) : null}
        </>
      }
    >
      <Flex vertical gap={12}>
        <Row gutter={[8, 8]}>
          {stat('open', 'pending')}
          {stat('inProgress', 'pending')}
          {stat('overdue', 'overdue', '#cf1322')}
          {stat('doneToday', 'done', '#389e0d')}
        </Row>
        <Flex gap={8} wrap="wrap">
          <Segmented value={view} onChange={(v) => set({ view: v === 'pending' ? undefined : String(v) })} options={VIEWS.map((v) => ({ value: v, label: t(`tasks.views.${v}`) }))} data-testid="tasks-view" />
          <Select allowClear value={type} onChange={(v?: string) => set({ type: v })} placeholder={t('tasks.allTypes')} style={{ width: 150 }} options={TASK_TYPES.map((x) => ({ value: x, label: labels.taskType(x) }))} />
          <Select
            allowClear
            value={assignee}
            onChange={(v?: string) => set({ assignee: v })}
            placeholder={t('tasks.anyone')}
            style={{ width: 130 }}
            options={[{ value: 'me', label: t('tasks.assignedToMe') }, { value: 'none', label: t('tasks.unassigned') }]}
          />
        </Flex>
        {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
        {!list.error && !list.data ? <LoadingBlock rows={6} card /> : null}
        {list.data && list.data.items.length === 0 ? <EmptyState description={view === 'pending' ? t('tasks.emptyPending') : t('tasks.empty')} /> : null}
        {list.data && list.data.items.length > 0 ? (
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(300px, 1fr))', gap: 10 }} data-testid="tasks-list">
            {list.data.items.map((x) => (
              <TaskCard key={x.id} task={x} onOpen={open} />
            ))}
          </div>
        ) : null}
        {list.data && list.data.total > list.data.pageSize ? (
          <Pagination current={page} pageSize={list.data.pageSize} total={list.data.total} simple={mobile} onChange={(p) => set({ page: String(p) })} style={{ alignSelf: 'center' }} />
        ) : null}
      </Flex>
      <TaskDrawer taskId={taskId} onClose={() => set({ task: undefined, page: sp.get('page') ?? undefined })} onChanged={() => setRefresh((n) => n + 1)} />
      <CreateTaskModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(x) => {
          setCreating(false);
          setRefresh((n) => n + 1);
          open(x);
        }}
      />
    </PageContainer>
  );
}
