import type { CreateTaskBody, Task, TaskAssignee, TaskListQuery, TaskPage, UpdateTaskBody } from '@gridline/shared';
import { api, type Query } from './client';
import type { StaticOf } from './endpoints';

export type { Task, TaskListQuery, TaskPage };
export type TaskAssigneeT = StaticOf<typeof TaskAssignee>;

const q = (o: object): Query => o as Query;

/** Follow-up tasks (GET/POST/PATCH /api/tasks). */
export const tasksApi = {
  list: (query: TaskListQuery, signal?: AbortSignal) => api.get<TaskPage>('/tasks', q(query), signal),
  get: (id: string, signal?: AbortSignal) => api.get<Task>(`/tasks/${id}`, undefined, signal),
  create: (body: CreateTaskBody) => api.post<Task>('/tasks', body),
  update: (id: string, body: UpdateTaskBody) => api.patch<Task>(`/tasks/${id}`, body),
  assignees: (id: string, signal?: AbortSignal) => api.get<TaskAssigneeT[]>(`/tasks/${id}/assignees`, undefined, signal),
};
