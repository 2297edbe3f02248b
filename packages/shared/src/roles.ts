/** Roles from DESIGN.md; each user has exactly one, at one node of the region tree. */
export const ROLES = [
  'command',
  'community_head',
  'community_worker',
  'grid_worker',
  'volunteer',
  'tracer',
  'department_staff',
  'auditor',
  'sysadmin',
  'resident',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  command: { zh: '区/街道指挥部', en: 'District/street command' },
  community_head: { zh: '社区书记/主任', en: 'Community head' },
  community_worker: { zh: '社区工作者', en: 'Community worker' },
  grid_worker: { zh: '网格员', en: 'Grid worker' },
  volunteer: { zh: '楼栋长/志愿者', en: 'Building lead / volunteer' },
  tracer: { zh: '流调员/疾控', en: 'Tracer / CDC staff' },
  department_staff: { zh: '部门工作人员', en: 'Department staff' },
  auditor: { zh: '审计/纪检监察', en: 'Auditor' },
  sysadmin: { zh: '系统管理员', en: 'System administrator' },
  resident: { zh: '居民', en: 'Resident' },
};

export const PERMISSIONS = [
  'region.read',
  'region.write',
  'resident.read',
  'resident.write',
  'resident.unmask',
  'household.read',
  'household.write',
  'self.read',
  'self.write',
  'user.manage',
  'audit.read',
  'audit.verify',
  // Screening, health monitoring, places and checkpoints, arrivals, follow-up tasks (issue #5).
  'screening.read',
  'screening.manage',
  'screening.visit',
  'health.read',
  'health.write',
  'task.read',
  'task.write',
  'arrival.read',
  'arrival.write',
  'place.read',
  'place.write',
  'checkpoint.operate',
  'device.manage',
  // Versioned protocol, cases, contact tracing (issue #6).
  'protocol.read',
  'protocol.manage',
  'case.read',
  'case.write',
  'trace.read',
  'trace.write',
  /** Grid workers: the contacts in their grid, with only what follow-up needs. */
  'contact.followup',
  // Departments, whistles, the inbox, direct reports, performance figures (issue #8).
  'department.read',
  'department.manage',
  'whistle.read',
  'whistle.raise',
  /** Department staff: acknowledge, act and report resolution on whistles routed to their department. */
  'whistle.handle',
  'inbox.read',
  'inbox.manage',
  'report.send',
  'report.read',
  'performance.read',
  // Control measures: isolation orders and area controls (issue #7).
  'measure.read',
  'measure.write',
  /** Approve or refuse a measure at one's own level (the level a measure needs follows from the proportionality guard). */
  'measure.approve',
  /** Read appeals and complaints in one's jurisdiction; decide appeals addressed to one's level. */
  'appeal.read',
  'appeal.decide',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const STAFF_READ: Permission[] = ['region.read', 'resident.read', 'household.read'];
const STAFF_WRITE: Permission[] = ['resident.write', 'household.write', 'resident.unmask'];
/** Daily outbreak work every community-level staff role does: screening visits, health reports, arrivals, follow-ups. */
const FIELD_WORK: Permission[] = ['screening.read', 'screening.visit', 'health.read', 'health.write', 'task.read', 'task.write', 'arrival.read', 'arrival.write', 'place.read', 'checkpoint.operate'];
const LEADS: Permission[] = [...FIELD_WORK, 'screening.manage', 'place.write'];
/** Every staff level raises whistles, reads protocol values and may report straight to the district command. */
const GOVERNANCE: Permission[] = ['protocol.read', 'whistle.read', 'whistle.raise', 'department.read', 'report.send'];
const COMMUNITY_DESK: Permission[] = [...GOVERNANCE, 'inbox.read', 'inbox.manage', 'performance.read', 'case.read', 'measure.read', 'measure.write', 'measure.approve', 'appeal.read', 'appeal.decide'];

/**
 * What each role may do. Where it may do it is always the user's node and below (see Scope).
 * The system administrator manages configuration and accounts and sees no personal data;
 * volunteers and department staff get personal data only through tasks routed to them (later modules).
 */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  command: [
    ...STAFF_READ, ...STAFF_WRITE, 'region.write', ...LEADS, 'device.manage', ...COMMUNITY_DESK,
    'protocol.manage', 'case.write', 'trace.read', 'department.manage', 'report.read',
    // The street command handles whistles no routing rule matches (兜底, REFERENCE §4).
    'whistle.handle',
  ],
  community_head: [...STAFF_READ, ...STAFF_WRITE, 'region.write', ...LEADS, ...COMMUNITY_DESK],
  community_worker: [...STAFF_READ, ...STAFF_WRITE, ...LEADS, ...COMMUNITY_DESK],
  grid_worker: [...STAFF_READ, ...STAFF_WRITE, ...FIELD_WORK, ...GOVERNANCE, 'contact.followup', 'measure.read'],
  // Checkpoint staff are often volunteers: they see a pass/deny decision, not the register.
  volunteer: ['region.read', 'checkpoint.operate'],
  tracer: [
    ...STAFF_READ, 'resident.unmask', 'screening.read', 'health.read', 'arrival.read', 'place.read',
    'protocol.read', 'case.read', 'case.write', 'trace.read', 'trace.write', 'task.read', 'report.send', 'measure.read',
  ],
  department_staff: ['region.read', 'department.read', 'whistle.read', 'whistle.handle', 'performance.read'],
  auditor: ['region.read', 'audit.read', 'audit.verify', 'protocol.read', 'performance.read', 'measure.read', 'appeal.read', 'appeal.decide'],
  // department.read: the administrator places department staff in their department (names only, no personal data).
  sysadmin: ['region.read', 'region.write', 'user.manage', 'audit.verify', 'device.manage', 'department.read'],
  resident: ['self.read', 'self.write'],
};

export function roleCan(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
