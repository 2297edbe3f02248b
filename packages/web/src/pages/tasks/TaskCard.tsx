import { ClockCircleOutlined, EnvironmentOutlined, PhoneOutlined, UserOutlined } from '@ant-design/icons';
import type { Task } from '@gridline/shared';
import { Card, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../lib/time';
import { useHealthLabels } from '../health/healthLabels';

export const STATUS_COLORS: Record<Task['status'], string> = { open: 'blue', in_progress: 'processing', done: 'green', cancelled: 'default' };

/** One task as a card: what, for whom, where, by when (overdue in red), its state. */
export function TaskCard({ task, onOpen }: { task: Task; onOpen: (t: Task) => void }) {
  const { t } = useTranslation();
  const labels = useHealthLabels();
  const closed = task.status === 'done' || task.status === 'cancelled';
  return (
    <Card
      size="small"
      hoverable
      onClick={() => onOpen(task)}
      styles={{ body: { padding: '12px 14px' } }}
      style={task.overdue ? { borderColor: '#ff7875', background: '#fff2f0' } : closed ? { opacity: 0.75 } : undefined}
      data-testid="task-card"
      data-task-id={task.id}
      data-overdue={task.overdue ? 'true' : 'false'}
    >
      <Flex justify="space-between" align="flex-start" gap={8}>
        <Flex vertical gap={2} style={{ minWidth: 0 }}>
          <Typography.Text strong style={{ fontSize: 16 }} data-testid="task-title">
            {task.title}
          </Typography.Text>
          {task.resident ? (
            <Typography.Text>
              <UserOutlined /> {task.resident.name}
              <Typography.Text type="secondary">
                {' '}
                · <PhoneOutlined /> {task.resident.phoneMasked ?? t('common.none')}
              </Typography.Text>
            </Typography.Text>
          ) : null}
          <Typography.Text type="secondary" ellipsis>
            <EnvironmentOutlined /> {task.resident?.address || task.regionName}
          </Typography.Text>
          {task.detail ? (
            <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
              {task.detail}
            </Typography.Text>
          ) : null}
        </Flex>
        <Flex vertical align="flex-end" gap={4} style={{ flexShrink: 0 }}>
          <Tag color={STATUS_COLORS[task.status]} style={{ marginInlineEnd: 0 }} data-testid="task-status">
            {labels.taskStatus(task.status)}
          </Tag>
          {task.overdue ? (
            <Tag color="red" style={{ marginInlineEnd: 0 }} data-testid="task-overdue">
              {t('tasks.overdue')}
            </Tag>
          ) : null}
        </Flex>
      </Flex>
      <Flex justify="space-between" gap={8} wrap="wrap" style={{ marginTop: 6 }}>
        <Typography.Text type={task.overdue ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
          <ClockCircleOutlined /> {task.dueAt ? t('tasks.due', { time: formatDateTime(task.dueAt) }) : t('tasks.noDue')}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {labels.taskType(task.type)} · {task.assignee ? task.assignee.name : t('tasks.unassigned')}
        </Typography.Text>
      </Flex>
    </Card>
  );
}
