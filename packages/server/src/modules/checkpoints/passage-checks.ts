import type { ProtocolValues } from '@gridline/shared';
import type { Executor } from '../../db/schema.js';

/** What one rule finds about a person at a checkpoint: a reason to deny, or an exemption that overrides denials. */
export interface PassageFinding {
  effect: 'deny' | 'exempt';
  /** Stable machine code, e.g. 'arrival_isolation', 'no_recent_test', 'medical_staff_on_duty'. */
  code: string;
  /** What the checkpoint staff read, in Chinese, e.g. "居家隔离中（高风险地区来返），至 12月3日". */
  reason: string;
  /** When the finding stops applying (epoch ms), when known. */
  until?: number | null;
  /** A denial only these exemption codes lift (a person's own isolation: urgent medical needs); unset = any exemption. */
  overridableBy?: readonly string[];
}

/** Pass unless a denial stands that no exemption present lifts. */
export function passes(findings: readonly PassageFinding[]): boolean {
  const exemptions = findings.filter((f) => f.effect === 'exempt').map((f) => f.code);
  return !findings.some((f) => f.effect === 'deny' && !exemptions.some((code) => !f.overridableBy || f.overridableBy.includes(code)));
}

/** Everything a rule may look at; `protocol` is the version in force at `at`, recorded with the decision. */
export interface PassageContext {
  db: Executor;
  residentId: string;
  at: number;
  place: { id: string; kind: string; regionCode: string };
  protocol: ProtocolValues;
}

export interface PassageCheck {
  name: string;
  check(ctx: PassageContext): Promise<PassageFinding[]>;
}

/**
 * The passage rules a checkpoint applies, contributed by the modules that know the facts: arrivals (isolation
 * after arriving from a risk area), health (no recent test where the protocol requires one), control measures
 * (a later issue: isolation orders, controlled areas), exemptions. Each module registers its check at start-up;
 * the checkpoint asks all of them and decides: a denial stands unless an exemption lifts it (any exemption, or for
 * a denial naming `overridableBy`, one of those) → deny with every reason; else pass, with the exemption shown. Checks read state as of `at`, so an ended measure stops counting at once.
 */
export class PassageChecks {
  private readonly checks: PassageCheck[] = [];

  register(check: PassageCheck): void {
    if (this.checks.some((c) => c.name === check.name)) throw new Error(`Passage check ${check.name} is already registered`);
    this.checks.push(check);
  }

  async evaluate(ctx: PassageContext): Promise<{ pass: boolean; findings: PassageFinding[] }> {
    const findings = (await Promise.all(this.checks.map((c) => c.check(ctx)))).flat();
    return { pass: passes(findings), findings };
  }
}
