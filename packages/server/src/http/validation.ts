import { Ajv, type ErrorObject } from 'ajv';
import { createRequire } from 'node:module';
import type { FieldError } from '@gridline/shared';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS whose default export NodeNext types cannot call; require it as CommonJS.
const addFormats = createRequire(import.meta.url)('ajv-formats') as (ajv: Ajv) => Ajv;

function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    removeAdditional: false,
    useDefaults: true,
    coerceTypes: coerce ? 'array' : false,
    strict: false,
  });
  addFormats(ajv);
  return ajv;
}

/**
 * Bodies are validated strictly (a string is never silently turned into a number: wrong types are errors);
 * query strings, params and headers arrive as text and are coerced to the schema's types.
 */
const strictAjv = makeAjv(false);
const coercingAjv = makeAjv(true);

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strictAjv : coercingAjv;
  return ajv.compile(schema);
};

const TYPE_NAMES: Record<string, string> = {
  string: '文本', integer: '整数', number: '数字', boolean: '是/否', object: '对象', array: '列表', null: '空值',
};

/** One Chinese message per ajv error, naming the field (JSON pointer) the way the UI shows it. */
export function toFieldErrors(errors: ErrorObject[], part: string): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const p = e.params as Record<string, unknown>;
    let path = `/${part}${e.instancePath}`;
    let message: string;
    switch (e.keyword) {
      case 'required':
        path += `/${String(p.missingProperty)}`;
        message = '此项为必填项';
        break;
      case 'additionalProperties':
        path += `/${String(p.additionalProperty)}`;
        message = '不允许的字段';
        break;
      case 'type':
        message = `类型应为${String(p.type).split(',').map((t) => TYPE_NAMES[t] ?? t).join('或')}`;
        break;
      case 'minLength':
        message = Number(p.limit) === 1 ? '不能为空' : `至少 ${String(p.limit)} 个字符`;
        break;
      case 'maxLength':
        message = `最多 ${String(p.limit)} 个字符`;
        break;
      case 'minimum':
        message = `不能小于 ${String(p.limit)}`;
        break;
      case 'maximum':
        message = `不能大于 ${String(p.limit)}`;
        break;
      case 'maxItems':
        message = `最多 ${String(p.limit)} 项`;
        break;
      case 'uniqueItems':
        message = '不能有重复项';
        break;
      case 'minProperties':
        message = '至少需要填写一项';
        break;
      case 'enum':
        message = '取值不在允许的范围内';
        break;
      case 'pattern':
      case 'format':
        message = '格式不正确';
        break;
      case 'anyOf':
      case 'oneOf':
        message = '取值不符合要求';
        break;
      default:
        message = '取值无效';
    }
    const key = `${path}|${e.keyword}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, code: e.keyword, message });
  }
  // A union failure also reports each branch's error; keep the most specific ones when both exist.
  return out.some((f) => f.code !== 'anyOf') ? out.filter((f) => f.code !== 'anyOf') : out;
}
