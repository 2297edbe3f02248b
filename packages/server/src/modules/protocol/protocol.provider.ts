import { protocolInForce, type ProtocolValues } from '@gridline/shared';
import { shanghaiDate } from '../../lib/clock.js';

/**
 * The one way any module reads epidemiological parameters (fever threshold, arrival rules, checkpoint test
 * requirements, …): the protocol version in force at a moment. Every decision that uses one records its `id`.
 * Today it serves the built-in versions (@gridline/shared protocol/values.ts); the tracing issue replaces it
 * with editable, versioned records behind this same interface.
 */
export interface ProtocolProvider {
  inForce(at: number): Promise<ProtocolValues>;
}

export class BuiltInProtocols implements ProtocolProvider {
  async inForce(at: number): Promise<ProtocolValues> {
    return protocolInForce(shanghaiDate(at));
  }
}
