import type { Db } from '../../db/schema.js';
import type { Scope } from '../../security/scope.js';
import { TracingGraph } from './tracing.graph.js';
import { TracingService, type TracingDeps } from './tracing.service.js';

export interface TracingServices {
  tracing: TracingService;
  graph: TracingGraph;
  /**
   * Confirmed contacts under the caller's node, for the measures issue (#7): who, where, category, exposure and
   * the protocol version in force at the exposure date. Same as `tracing.confirmedContacts`.
   */
  confirmedContacts: TracingService['confirmedContacts'];
}

/** Contact tracing: proposals, bulk decisions, follow-up, the clock, the report, transmission chains. */
export function createTracing(deps: TracingDeps & { db: Db }): TracingServices {
  const tracing = new TracingService(deps);
  return {
    tracing,
    graph: new TracingGraph({ db: deps.db }),
    confirmedContacts: (scope: Scope, filter?: Parameters<TracingService['confirmedContacts']>[1]) => tracing.confirmedContacts(scope, filter),
  };
}
