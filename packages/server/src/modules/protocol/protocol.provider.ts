import { BUILT_IN_PROTOCOLS, protocolInForce, type ProtocolValues } from '@gridline/shared';
import type { Db } from '../../db/schema.js';
import { shanghaiDate, type Clock } from '../../lib/clock.js';
import type { EventBus } from '../events/event-bus.js';
import { protocolRepository } from './protocol.repository.js';

/**
 * The one way any module reads epidemiological parameters (fever threshold, arrival rules, checkpoint test
 * requirements, tracing windows, …): the protocol version in force at a moment. Every decision that uses one
 * records its `id`.
 */
export interface ProtocolProvider {
  /** The version in force at `at`: the latest whose effective date is on or before the Shanghai date of `at`. */
  inForce(at: number): Promise<ProtocolValues>;
  /** One version by id (a decision's recorded version), or undefined. */
  byId(id: string): Promise<ProtocolValues | undefined>;
  /** Every version, oldest effective date first. */
  list(): Promise<ProtocolValues[]>;
}

/** The built-in versions only (@gridline/shared protocol/values.ts): for pure tests and tools without a database. */
export class BuiltInProtocols implements ProtocolProvider {
  async inForce(at: number): Promise<ProtocolValues> {
    return protocolInForce(shanghaiDate(at));
  }
  async byId(id: string): Promise<ProtocolValues | undefined> {
    return BUILT_IN_PROTOCOLS.find((v) => v.id === id);
  }
  async list(): Promise<ProtocolValues[]> {
    return sortVersions(BUILT_IN_PROTOCOLS);
  }
}

/** Oldest effective date first; on the same date the one created later wins (it comes later). */
function sortVersions(vs: readonly ProtocolValues[], createdAt: Map<string, number> = new Map()): ProtocolValues[] {
  return [...vs].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom) || (createdAt.get(a.id) ?? 0) - (createdAt.get(b.id) ?? 0));
}

/** A cached set is re-read in the background after this long, in case a change event from another instance was lost. */
export const PROTOCOL_CACHE_MS = 60_000;

/**
 * Versions from the protocol_versions table, cached in memory: every decision reads them, often inside a
 * transaction (where, on SQLite's single connection, a second query would wait for ever), so a read never waits
 * for the database once the first load is done. The first load starts when the provider is made. A version
 * created here is added to the cache at once; other instances hear `protocol.changed` on the bus and re-read
 * in the background (serving the set they have meanwhile).
 */
export class DatabaseProtocols implements ProtocolProvider {
  private versions: ProtocolValues[] | null = null;
  private loadedAt = 0;
  private loading: Promise<ProtocolValues[]> | null = null;
  private generation = 0;

  constructor(private readonly deps: { db: Db; clock: Clock; bus?: EventBus }) {
    deps.bus?.subscribe((e) => {
      if (e.type === 'protocol.changed') this.refresh();
    });
    void this.load().catch(() => undefined);
  }

  private load(): Promise<ProtocolValues[]> {
    if (this.loading) return this.loading;
    const generation = ++this.generation;
    const p = protocolRepository
      .all(this.deps.db)
      .then((rows) => {
        const createdAt = new Map(rows.map((r) => [r.id, Number(r.created_at)]));
        const vs = sortVersions(rows.map((r) => JSON.parse(r.values) as ProtocolValues), createdAt);
        // A load started before a newer one (or before a local add) must not overwrite it.
        if (generation === this.generation) {
          this.versions = vs.length ? vs : sortVersions(BUILT_IN_PROTOCOLS);
          this.loadedAt = this.deps.clock.now();
        }
        return this.versions ?? vs;
      })
      .finally(() => {
        if (this.loading === p) this.loading = null;
      });
    this.loading = p;
    return p;
  }

  /** Re-read in the background; readers keep the current set meanwhile. */
  refresh(): void {
    this.loading = null;
    void this.load().catch(() => undefined);
  }

  /** A version this instance just created (after its transaction committed): visible here at once. */
  added(v: ProtocolValues): void {
    this.generation++;
    this.versions = sortVersions([...(this.versions ?? []).filter((x) => x.id !== v.id), v], new Map((this.versions ?? []).map((x, i) => [x.id, i])).set(v.id, Number.MAX_SAFE_INTEGER));
    this.refresh();
  }

  private async current(): Promise<ProtocolValues[]> {
    if (this.versions) {
      if (this.deps.clock.now() - this.loadedAt > PROTOCOL_CACHE_MS || this.deps.clock.now() < this.loadedAt) this.refresh();
      return this.versions;
    }
    return this.load();
  }

  async inForce(at: number): Promise<ProtocolValues> {
    return protocolInForce(shanghaiDate(at), await this.current());
  }

  async byId(id: string): Promise<ProtocolValues | undefined> {
    return (await this.current()).find((v) => v.id === id);
  }

  async list(): Promise<ProtocolValues[]> {
    return [...(await this.current())];
  }
}
