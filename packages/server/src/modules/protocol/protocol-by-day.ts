import { DAY_MS, type ProtocolValues, type RulesAt } from '@gridline/shared';
import type { ProtocolProvider } from './protocol.provider.js';

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/**
 * The version in force per Shanghai day over a span, loaded once, so that code asking for every scan or reading
 * (a trace, a device batch's fever threshold) asks synchronously: days are kept by their number since the epoch,
 * not by formatted date.
 */
export class ProtocolByDay {
  private readonly days = new Map<number, { p: ProtocolValues; rules: { protocolId: string; tracing: ProtocolValues['tracing'] } }>();
  private first = Infinity;
  private last = -Infinity;
  constructor(private readonly protocol: ProtocolProvider) {}

  private static dayOf(at: number): number {
    return Math.floor((at + SHANGHAI_OFFSET_MS) / DAY_MS);
  }

  /** Loads every day from `from` to `to`, and one either side. */
  async load(from: number, to: number): Promise<void> {
    for (let d = ProtocolByDay.dayOf(from) - 1; d <= ProtocolByDay.dayOf(to) + 1; d++) {
      if (this.days.has(d)) continue;
      const p = await this.protocol.inForce(d * DAY_MS - SHANGHAI_OFFSET_MS);
      this.days.set(d, { p, rules: { protocolId: p.id, tracing: p.tracing } });
      this.first = Math.min(this.first, d);
      this.last = Math.max(this.last, d);
    }
  }

  private entry(at: number) {
    const d = ProtocolByDay.dayOf(at);
    // Outside what was loaded: the nearest loaded day (versions change by date, rarely).
    return this.days.get(d) ?? this.days.get(d < this.first ? this.first : this.last)!;
  }

  get(at: number): ProtocolValues {
    return this.entry(at).p;
  }

  /** The tracing rules at an instant, as the pure trace algorithm asks for them. */
  readonly rulesAt: RulesAt = (at) => this.entry(at).rules;
}
