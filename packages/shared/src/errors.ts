/**
 * Stable error codes. A code, once shipped, is never reused for another meaning:
 * retired codes stay listed with `retired: true`. Messages are what the UI shows.
 */
export const ERRORS = {
  GRIDLINE_VALIDATION: { status: 400, zh: '提交的数据有误，请按提示修改', en: 'The request has invalid fields' },
  GRIDLINE_BAD_JSON: { status: 400, zh: '请求内容不是有效的 JSON', en: 'The request body is not valid JSON' },
  GRIDLINE_PAYLOAD_TOO_LARGE: { status: 413, zh: '提交的内容过大', en: 'The request body is too large' },
  GRIDLINE_UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  GRIDLINE_UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please sign in' },
  GRIDLINE_SESSION_EXPIRED: { status: 401, zh: '登录已过期，请重新登录', en: 'Your session has expired; please sign in again' },
  GRIDLINE_LOGIN_FAILED: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  GRIDLINE_LOGIN_LOCKED: { status: 429, zh: '登录失败次数过多，账号已暂时锁定，请稍后再试', en: 'Too many failed sign-ins; the account is locked for a while' },
  GRIDLINE_ACCOUNT_DISABLED: { status: 403, zh: '账号已停用，请联系管理员', en: 'This account is disabled' },
  GRIDLINE_PASSWORD_WRONG: { status: 400, zh: '原密码不正确', en: 'The current password is wrong' },
  GRIDLINE_PASSWORD_WEAK: { status: 400, zh: '密码至少 8 位，且须同时包含字母和数字', en: 'A password needs at least 8 characters with letters and digits' },
  GRIDLINE_PASSWORD_CHANGE_REQUIRED: { status: 403, zh: '请先修改初始密码', en: 'Change your initial password first' },
  GRIDLINE_FORBIDDEN: { status: 403, zh: '您的角色无权进行此操作', en: 'Your role may not do this' },
  GRIDLINE_OUT_OF_SCOPE: { status: 403, zh: '该对象不在您的管辖范围内', en: 'This lies outside your jurisdiction' },
  GRIDLINE_NOT_FOUND: { status: 404, zh: '未找到该记录，或不在您的管辖范围内', en: 'Not found, or outside your jurisdiction' },
  GRIDLINE_CONFLICT: { status: 409, zh: '记录已存在，与现有数据冲突', en: 'The record conflicts with existing data' },
  GRIDLINE_STALE_VERSION: { status: 409, zh: '该记录已被他人修改，请刷新后重试', en: 'Someone else changed this record; reload and try again' },
  GRIDLINE_REFERENCE_MISSING: { status: 409, zh: '引用的记录不存在', en: 'A referenced record does not exist' },
  GRIDLINE_IN_USE: { status: 409, zh: '该记录仍被其他数据引用，不能删除', en: 'The record is still referenced and cannot be deleted' },
  GRIDLINE_REQUIRED_MISSING: { status: 400, zh: '缺少必填项', en: 'A required value is missing' },
  GRIDLINE_RESIDENT_DUPLICATE_DOCUMENT: { status: 409, zh: '该证件号码已登记', en: 'This document number is already registered' },
  GRIDLINE_REGION_INVALID_CODE: { status: 400, zh: '区划编码不符合规则', en: 'The region code does not follow the coding rules' },
  GRIDLINE_PURPOSE_REQUIRED: { status: 400, zh: '查看完整信息须填写用途', en: 'State a purpose to view full details' },
  GRIDLINE_RATE_LIMITED: { status: 429, zh: '操作过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  GRIDLINE_IMPORT_INVALID: { status: 400, zh: '导入文件格式不正确', en: 'The import file is not valid' },
  GRIDLINE_WHISTLE_STATE: { status: 409, zh: '该哨件当前的状态不允许此操作，请刷新后查看', en: 'The whistle’s current state does not allow this' },
  GRIDLINE_TRACE_NO_DATES: { status: 409, zh: '病例没有发病日期或采样日期，无法确定流调追溯时段', en: 'The case has neither an onset nor a sampling date: no look-back window' },
  GRIDLINE_INTERNAL: { status: 500, zh: '系统内部错误，请稍后重试或联系管理员', en: 'Internal error; try again or contact the administrator' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** One problem with one field; `path` is a JSON pointer into the request (e.g. `/body/phone`). */
export interface FieldError {
  path: string;
  code: string;
  message: string;
}
