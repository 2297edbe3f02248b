import type { Arrival, ArrivalPlanT } from '@gridline/shared';
import { Alert, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../lib/time';
import { useHealthLabels } from '../health/healthLabels';
import { STATUS_COLORS } from '../tasks/TaskCard';

/**
 * What the protocol in force at the arrival date required, stated plainly with the protocol's name, then laid
 * out: the isolation period, the days of daily reports, each test day (with its task's state once recorded).
 */
export function ArrivalPlanView({ plan, tasks, cancelled }: { plan: ArrivalPlanT; tasks?: Arrival['tasks'] | undefined; cancelled?: boolean }) {
  const { t } = useTranslation();
  const labels = useHealthLabels();
  const strong = plan.rule.measure === 'centralized_isolation' || plan.rule.measure === 'home_isolation';
  return (
    <Flex vertical gap={8} data-testid="arrival-plan">
      <Alert type={cancelled ? 'info' : strong ? 'warning' : plan.rule.measure === 'none' ? 'success' : 'info'} showIcon title={<span data-testid="arrival-plan-text">{labels.plan(plan)}</span>} />
      {plan.isolation ? (
        <Typography.Text>
          <Tag color="red">{labels.measure(plan.isolation.kind)}</Tag>
          {t('arrivals.plan.period', { from: formatDateTime(plan.isolation.start), to: formatDateTime(plan.isolation.end) })}
        </Typography.Text>
      ) : null}
      {plan.monitoring ? (
        <Typography.Text>
          <Tag color="gold">{t('arrivals.plan.monitoring')}</Tag>
          {t('arrivals.plan.days', { from: plan.monitoring.startDay, to: plan.monitoring.endDay })}
        </Typography.Text>
      ) : null}
      {plan.tests.length ? (
        <Flex gap={6} wrap="wrap" align="center">
          <Typography.Text type="secondary">{t('arrivals.plan.testDays')}</Typography.Text>
          {plan.tests.map((x) => {
            const task = tasks?.find((k) => k.dueAt === x.dueAt);
            return (
              <Tag key={x.day} color={task ? STATUS_COLORS[task.status] : undefined} data-testid="arrival-test-day">
                {t('arrivals.plan.testDay', { day: x.day, date: x.date.slice(5) })}
                {task ? ` · ${labels.taskStatus(task.status)}` : tasks ? ` · ${t('arrivals.plan.noTask')}` : ''}
              </Tag>
            );
          })}
        </Flex>
      ) : null}
    </Flex>
  );
}
