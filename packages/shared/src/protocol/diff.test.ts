import { describe, expect, it } from 'vitest';
import { diffProtocols, protocolFields, protocolValueErrors } from './diff.js';
import { BUILT_IN_PROTOCOLS, type ProtocolValues } from './values.js';

const byId = (id: string) => structuredClone(BUILT_IN_PROTOCOLS.find((v) => v.id === id)!);

describe('protocol diff', () => {
  it('is empty for a version against itself and lists exactly the changed fields otherwise, old → new in Chinese', () => {
    const base = byId('new-ten-2022-12');
    expect(diffProtocols(base, structuredClone(base))).toEqual([]);
    const next: ProtocolValues = { ...structuredClone(base), id: 'x', tracing: { ...base.tracing, lookbackDays: 3 }, checkpointTestHours: null };
    expect(diffProtocols(base, next)).toEqual([
      { path: '/checkpointTestHours', group: 'testing', label: '卡口核酸阴性证明时限', from: '48 小时', to: '不要求' },
      { path: '/tracing/lookbackDays', group: 'tracing', label: '追溯期（发病或采样前）', from: '4 天', to: '3 天' },
    ]);
  });

  it('ignores identity and sources, and names levels and rules added or removed', () => {
    const ninth = byId('ninth-2022-06');
    const twenty = byId('twenty-2022-11');
    const changes = diffProtocols(ninth, twenty);
    expect(changes.some((c) => c.path === '/id' || c.path.startsWith('/sources'))).toBe(false);
    expect(changes.filter((c) => c.path.startsWith('/arrivalRules/medium')).map((c) => [c.label, c.from, c.to])).toEqual([
      ['来自中风险地区·措施', '居家隔离', null],
      ['来自中风险地区·天数', '7 天', null],
      ['来自中风险地区·核酸检测日', '第1、4、7天', null],
    ]);
    expect(changes.find((c) => c.path === '/riskAreas/high/unit')).toMatchObject({ from: '小区（村）', to: '楼栋、单元' });
    expect(changes.find((c) => c.path === '/riskAreas/high/liftAfterDays')).toMatchObject({ from: '7 天', to: '5 天' });
    // Changes come grouped in display order.
    const groups = changes.map((c) => c.group);
    expect(groups).toEqual([...groups].sort((a, b) => ['testing', 'arrivals', 'tracing', 'contacts', 'riskAreas'].indexOf(a) - ['testing', 'arrivals', 'tracing', 'contacts', 'riskAreas'].indexOf(b)));
  });

  it('gives every field of every built-in version a label, a group and a source', () => {
    for (const v of BUILT_IN_PROTOCOLS) {
      const fields = protocolFields(v);
      expect(new Set(fields.map((f) => f.path)).size).toBe(fields.length);
      for (const f of fields) expect(v.sources[f.sourceKey], `${v.id} ${f.path}`).toBeTruthy();
    }
  });
});

describe('protocol value checks', () => {
  it('accepts every built-in version', () => {
    for (const v of BUILT_IN_PROTOCOLS) expect(protocolValueErrors(v), v.id).toEqual([]);
  });

  it('names the field of each problem', () => {
    const v = byId('ninth-2022-06');
    v.arrivalRules[0]!.testDays = [1, 3, 9];
    v.contactManagement.secondary = null;
    v.tracing.lookbackDays = 0;
    v.isolation.highRiskWorkers = { homeMonitoringDays: 3, testDays: [2, 1] };
    expect(protocolValueErrors(v).map((e) => [e.path, e.code])).toEqual([
      ['/body/values/arrivalRules/0/testDays', 'within'],
      ['/body/values/tracing/lookbackDays', 'range'],
      ['/body/values/contactManagement/secondary', 'required'],
      ['/body/values/isolation/highRiskWorkers/testDays', 'order'],
    ]);
  });
});
