import type { Eni } from '../network.js';
import type { CloudSpec, FlowLogSpec } from '../profile.js';

/** AWS's fixed default (v2) format. */
export const VPC_DEFAULT_FIELDS =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

/** The custom format the generator's second flow log uses: v2 fields plus v3–v5 fields. */
export const VPC_CUSTOM_V5_FIELDS = `${VPC_DEFAULT_FIELDS} vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path`;

/** One unidirectional record at one ENI in one aggregation window. */
export interface VpcRecordFields {
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly proto: number;
  readonly packets: number;
  readonly bytes: number;
  /** Unix seconds of the first and last packet in the window. */
  readonly start: number;
  readonly end: number;
  readonly action: 'ACCEPT' | 'REJECT';
  /** OR of SYN 2, FIN 1, RST 4, SYN-ACK 18 seen in the window (0 for only ACKs, and UDP). */
  readonly tcpFlags: number;
  readonly direction: 'ingress' | 'egress';
  /** Egress path (1 same VPC, 2 internet gateway, 3 virtual private gateway); null on ingress. */
  readonly trafficPath: number | null;
}

/**
 * Renders VPC flow log text records for one flow log, as AWS writes them to S3: the header line
 * of field names, space-separated values, `-` where a field does not apply.
 */
export class VpcFlowLogWriter {
  public readonly header: string;
  private readonly custom: boolean;

  public constructor(
    flowLog: FlowLogSpec,
    private readonly cloud: CloudSpec,
  ) {
    this.custom = flowLog.format === 'custom-v5';
    this.header = this.custom ? VPC_CUSTOM_V5_FIELDS : VPC_DEFAULT_FIELDS;
  }

  /** One `OK` record. */
  public line(eni: Eni, r: VpcRecordFields): string {
    const base = `${this.custom ? 5 : 2} ${this.cloud.account} ${eni.id} ${r.src} ${r.dst} ${r.srcPort} ${r.dstPort} ${r.proto} ${r.packets} ${r.bytes} ${r.start} ${r.end} ${r.action} OK`;
    if (!this.custom) return base;
    const flags = r.proto === 6 ? r.tcpFlags : 0;
    return `${base} ${this.cloud.vpc_id} ${eni.subnetId} ${eni.instanceId} ${flags} IPv4 ${r.src} ${r.dst} ${this.cloud.region} ${this.cloud.az_id} - - - - ${r.direction} ${r.trafficPath ?? '-'}`;
  }

  /** A `NODATA` row: the ENI saw no traffic between start and end (Unix seconds). */
  public noData(eni: Eni, start: number, end: number): string {
    const base = `${this.custom ? 5 : 2} ${this.cloud.account} ${eni.id} - - - - - - - ${start} ${end} - NODATA`;
    if (!this.custom) return base;
    return `${base} ${this.cloud.vpc_id} ${eni.subnetId} ${eni.instanceId} - - - - ${this.cloud.region} ${this.cloud.az_id} - - - - - -`;
  }
}
