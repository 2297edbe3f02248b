import { CheckOutlined, CloseOutlined, PlayCircleOutlined, UserAddOutlined } from '@ant-design/icons';
import type { UpdateTaskBody } from '@gridline/shared';
import { Alert, App, Button, Descriptions, Drawer, Flex, Input, Select, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useErrorText } from '../../api/hooks';
import { tasksApi } from '../../api/tasks';
import { useAuth } from '../../auth/AuthContext';
import { useIsMobile } from '../../components/PageContainer';
import { ErrorState, LoadingBlock } from '../../components/states';
import { formatDateTime } from '../../lib/time';
import { useHealthLabels } from '../health/healthLabels';
import { STATUS_COLORS } from './TaskCard';

type Step = 'done' | 'cancelled' | undefined;

/** One task: what it is about, and the next step — start, finish with a note, cancel with a reason, hand over. */
export function TaskDrawer(props: { taskId: string | undefined; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const { can, me } = useAuth();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const labels = useHealthLabels();
  const errorText = useErrorText();
  const [tick, setTick] = useState(0);
  const task = useApi((s) => tasksApi.get(props.taskId ?? '', s), [props.taskId, tick], !!props.taskId);
  const [step, setStep] = useState<Step>(undefined);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [assigning, setAssigning] = useState(false);
  const people = useApi((s) => tasksApi.assignees(props.taskId ?? '', s), [props.taskId, assigning], !!props.taskId && assigning);

  useEffect(() => {
    setStep(undefined);
    setNote('');
    setError(undefined);
    setAssigning(false);
  }, [props.taskId]);

  const x = task.data && task.data.id === props.taskId ? task.data : undefined;
  const active = x && (x.status === 'open' || x.status === 'in_progress');
  const writable = can('task.write') && active;

  const change = async (body: Omit<UpdateTaskBody, 'version'>, done: string) => {
    if (!x) return;
    setBusy(true);
    setError(undefined);
    try {
      await tasksApi.update(x.id, { version: x.version, ...body });
      void message.success(done);
      setStep(undefined);
      setNote('');
      setAssigning(false);
      setTick((n) => n + 1);
      props.onChanged();
    } catch (err) {
      setError(errorText(err));
      setTick((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer open={!!props.taskId} onClose={props.onClose} size={mobile ? '100%' : 520} destroyOnHidden title={x?.title ?? t('tasks.detail')} data-testid="task-drawer">
      {task.error ? <ErrorState error={task.error} onRetry={task.reload} /> : null}
      {!x && !task.error ? <LoadingBlock rows={6} /> : null}
      {x ? (
        <Flex vertical gap={16}>
          <Flex gap={6} wrap="wrap">
            <Tag color={STATUS_COLORS[x.status]}>{labels.taskStatus(x.status)}</Tag>
            <Tag>{labels.taskType(x.type)}</Tag>
            {x.overdue ? <Tag color="red">{t('tasks.overdue')}</Tag> : null}
          </Flex>
          {x.detail ? <Alert type={x.type === 'health_followup' ? 'warning' : 'info'} title={x.detail} data-testid="task-detail" /> : null}
          <Descriptions
            column={1}
            size="small"
            bordered
            styles={{ label: { width: mobile ? 92 : 110 } }}
            items={[
              ...(x.resident
                ? [
                    { key: 'who', label: t('tasks.resident'), children: `${x.resident.name}（${x.resident.phoneMasked ?? t('common.none')}）` },
                    { key: 'addr', label: t('fields.address'), children: x.resident.address },
                  ]
                : []),
              { key: 'node', label: t('tasks.region'), children: x.regionName },
              { key: 'due', label: t('tasks.dueLabel'), children: x.dueAt ? <Typography.Text type={x.overdue ? 'danger' : undefined}>{formatDateTime(x.dueAt)}</Typography.Text> : t('tasks.noDue') },
              { key: 'assignee', label: t('tasks.assignee'), children: x.assignee?.name ?? t('tasks.unassigned') },
              { key: 'created', label: t('common.createdAt'), children: `${formatDateTime(x.createdAt)} · ${x.createdBy}` },
              ...(x.note ? [{ key: 'note', label: t('tasks.note'), children: x.note }] : []),
              ...(x.closedAt ? [{ key: 'closed', label: t('tasks.closedAt'), children: formatDateTime(x.closedAt) }] : []),
            ]}
          />
          {error ? <Alert type="error" showIcon title={error} /> : null}
          {writable && !step ? (
            <Flex vertical gap={8}>
              {x.status === 'open' ? (
                <Button type="primary" size="large" icon={<PlayCircleOutlined />} loading={busy} onClick={() => void change({ status: 'in_progress' }, t('tasks.started'))} block data-testid="task-start">
                  {t('tasks.start')}
                </Button>
              ) : null}
              <Button type={x.status === 'open' ? 'default' : 'primary'} size="large" icon={<CheckOutlined />} onClick={() => setStep('done')} block data-testid="task-finish">
                {t('tasks.finish')}
              </Button>
              <Flex gap={8}>
                {x.assignee?.id !== me?.id ? (
                  <Button icon={<UserAddOutlined />} onClick={() => void change({ assigneeId: me?.id ?? null }, t('tasks.takenByMe'))} style={{ flex: 1 }} data-testid="task-take">
                    {t('tasks.takeIt')}
                  </Button>
                ) : null}
                <Button onClick={() => setAssigning((v) => !v)} style={{ flex: 1 }}>
                  {t('tasks.handOver')}
                </Button>
                <Button danger icon={<CloseOutlined />} onClick={() => setStep('cancelled')} style={{ flex: 1 }} data-testid="task-cancel">
                  {t('tasks.cancel')}
                </Button>
              </Flex>
              {assigning ? (
                <Select
                  loading={people.loading}
                  placeholder={t('tasks.pickAssignee')}
                  options={(people.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
                  onChange={(v: string) => void change({ assigneeId: v }, t('tasks.handedOver'))}
                  data-testid="task-assignee"
                />
              ) : null}
            </Flex>
          ) : null}
          {writable && step ? (
            <Flex vertical gap={8} data-testid="task-step">
              <Typography.Text strong>{step === 'done' ? t('tasks.finishNote') : t('tasks.cancelNote')}</Typography.Text>
              <Input.TextArea rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} placeholder={step === 'done' ? t('tasks.finishPlaceholder') : t('tasks.cancelPlaceholder')} data-testid="task-note" />
              <Flex gap={8}>
                <Button onClick={() => setStep(undefined)} style={{ flex: 1 }}>
                  {t('common.back')}
                </Button>
                <Button
                  type="primary"
                  danger={step === 'cancelled'}
                  loading={busy}
                  disabled={step === 'cancelled' && note.trim().length < 2}
                  onClick={() => void change({ status: step, note: note.trim() }, step === 'done' ? t('tasks.finished') : t('tasks.cancelled'))}
                  style={{ flex: 2 }}
                  data-testid="task-confirm"
                >
                  {step === 'done' ? t('tasks.finish') : t('tasks.cancel')}
                </Button>
              </Flex>
            </Flex>
          ) : null}
        </Flex>
      ) : null}
    </Drawer>
  );
}
