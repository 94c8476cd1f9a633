import { communityId } from '../enrich/community-id.js';
import type { ZoneResolver } from '../enrich/zones.js';
import type { FlowRecord, ParsedFlow, SourceType } from '../flow-record.js';

/**
 * Completes a parsed flow into the lake record: direction and zones from the configuration,
 * the Community ID of its 5-tuple, and the provenance reference.
 */
export function normalizeFlow(
  flow: ParsedFlow,
  sourceType: SourceType,
  rawRef: string,
  zones: ZoneResolver,
): FlowRecord {
  const { direction, src_zone, dst_zone } = zones.classify(flow.src_ip, flow.dst_ip);
  return {
    ...flow,
    direction,
    src_zone,
    dst_zone,
    source_type: sourceType,
    community_id: communityId(flow.src_ip, flow.dst_ip, flow.protocol, flow.src_port, flow.dst_port),
    raw_ref: rawRef,
  };
}
