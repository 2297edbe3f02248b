/**
 * Follow-up tasks (health follow-ups, test days, later tracing and measures) share one small life cycle:
 * open → in progress → done or cancelled. Done and cancelled are final; a task is never reopened (a new one
 * is created instead, so the record of what was done stays as it was).
 */
export const TASK_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TASK_STATUS_LABELS: Record<TaskStatus, { zh: string; en: string }> = {
  open: { zh: '待处理', en: 'Open' },
  in_progress: { zh: '处理中', en: 'In progress' },
  done: { zh: '已完成', en: 'Done' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
};

const NEXT: Record<TaskStatus, readonly TaskStatus[]> = {
  open: ['in_progress', 'done', 'cancelled'],
  in_progress: ['done', 'cancelled'],
  done: [],
  cancelled: [],
};

export function isActiveTask(status: TaskStatus): boolean {
  return status === 'open' || status === 'in_progress';
}

/** Null when the change is allowed, else the Chinese reason it is not. */
export function transitionProblem(from: TaskStatus, to: TaskStatus, note: string): string | null {
  if (from === to) return null;
  if (!NEXT[from].includes(to)) return `任务${TASK_STATUS_LABELS[from].zh}，不能改为“${TASK_STATUS_LABELS[to].zh}”`;
  if (to === 'cancelled' && note.trim().length < 2) return '取消任务须写明原因';
  return null;
}

/** Still to be done and past its due time. */
export function isOverdue(task: { status: TaskStatus; dueAt: number | null }, now: number): boolean {
  return isActiveTask(task.status) && task.dueAt !== null && now > task.dueAt;
}
