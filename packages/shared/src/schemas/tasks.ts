import { Type, type Static } from '@sinclair/typebox';
import { TASK_STATUSES } from '../health/task-status.js';
import { Id, PageQuery, RegionCode, StringEnum, Timestamp } from './common.js';

/**
 * Kinds of follow-up task. Modules that create tasks add their kind here (tracing, measures and whistles
 * will); 'manual' is a task a member of staff writes by hand.
 */
export const TASK_TYPES = ['health_followup', 'arrival_test', 'manual', 'contact_followup', 'measure_test'] as const;
export type TaskType = (typeof TASK_TYPES)[number];
export const TASK_TYPE_LABELS: Record<TaskType, { zh: string; en: string }> = {
  health_followup: { zh: '健康异常随访', en: 'Health follow-up' },
  arrival_test: { zh: '来返人员核酸', en: 'Arrival test' },
  manual: { zh: '其他任务', en: 'Other task' },
  contact_followup: { zh: '密接随访', en: 'Contact follow-up' },
  measure_test: { zh: '隔离人员核酸', en: 'Isolation test' },
};

export const TaskStatusSchema = StringEnum(TASK_STATUSES);

export const Task = Type.Object({
  id: Id,
  type: StringEnum(TASK_TYPES),
  title: Type.String(),
  detail: Type.String(),
  status: TaskStatusSchema,
  /** The node the task belongs to (a grid for resident follow-ups): every worker whose jurisdiction covers it sees it. */
  regionCode: RegionCode,
  regionName: Type.String(),
  resident: Type.Union([
    Type.Object({ id: Id, name: Type.String(), phoneMasked: Type.Union([Type.String(), Type.Null()]), address: Type.String() }),
    Type.Null(),
  ]),
  dueAt: Type.Union([Timestamp, Type.Null()]),
  overdue: Type.Boolean(),
  assignee: Type.Union([Type.Object({ id: Id, name: Type.String() }), Type.Null()]),
  source: Type.Union([Type.Object({ type: Type.String(), id: Id }), Type.Null()]),
  note: Type.String({ description: 'The note given with the last status change' }),
  createdBy: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  closedAt: Type.Union([Timestamp, Type.Null()]),
  version: Type.Integer(),
});
export type Task = Static<typeof Task>;

export const TaskListQuery = Type.Object(
  {
    ...PageQuery,
    node: Type.Optional(RegionCode),
    status: Type.Optional(Type.Array(TaskStatusSchema, { maxItems: 4, description: 'Any of these (default: all)' })),
    type: Type.Optional(StringEnum(TASK_TYPES)),
    assignee: Type.Optional(StringEnum(['me', 'none'] as const, { description: 'Assigned to me, or to nobody' })),
    overdue: Type.Optional(Type.Boolean()),
    residentId: Type.Optional(Id),
    sourceType: Type.Optional(Type.String({ maxLength: 40 })),
    sourceId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type TaskListQuery = Static<typeof TaskListQuery>;

export const TaskCounts = Type.Object({
  open: Type.Integer(),
  inProgress: Type.Integer(),
  overdue: Type.Integer(),
  doneToday: Type.Integer({ description: 'Done since Shanghai midnight' }),
});
export type TaskCounts = Static<typeof TaskCounts>;

export const TaskPage = Type.Object({ items: Type.Array(Task), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), counts: TaskCounts });
export type TaskPage = Static<typeof TaskPage>;

export const CreateTaskBody = Type.Object(
  {
    title: Type.String({ minLength: 2, maxLength: 100 }),
    detail: Type.Optional(Type.String({ maxLength: 1000 })),
    /** Where it belongs; defaults to the resident's grid when a resident is named. */
    regionCode: Type.Optional(RegionCode),
    residentId: Type.Optional(Id),
    dueAt: Type.Optional(Type.Union([Timestamp, Type.Null()])),
    assigneeId: Type.Optional(Type.Union([Id, Type.Null()])),
  },
  { additionalProperties: false },
);
export type CreateTaskBody = Static<typeof CreateTaskBody>;

export const UpdateTaskBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version read; a stale version is refused' }),
    status: Type.Optional(TaskStatusSchema),
    note: Type.Optional(Type.String({ maxLength: 500 })),
    assigneeId: Type.Optional(Type.Union([Id, Type.Null()])),
    dueAt: Type.Optional(Type.Union([Timestamp, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 2 },
);
export type UpdateTaskBody = Static<typeof UpdateTaskBody>;

/** Staff who may take a task: their jurisdiction covers it and lies within the caller's. */
export const TaskAssignee = Type.Object({ id: Id, name: Type.String(), role: Type.String(), nodeCode: RegionCode });
export const TaskAssignees = Type.Array(TaskAssignee);
