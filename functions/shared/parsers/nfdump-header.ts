/**
 * Recognises nfdump CSV header lines by their column names (never by position or count) and
 * maps the columns a flow needs. Three families exist:
 * - `legacy`: the fixed layout of nfdump ≤ 1.7.4 (`ts,te,td,sa,da,…`; 48 columns from 1.6.13,
 *   43 before), local times without zone, protocol names;
 * - `tokens`: nfdump ≥ 1.7.5, the 10-column default or any `-o 'csv:%tok,…'` export, camelCase
 *   names (`firstSeen,srcAddr,…`);
 * - `fast`: `-o csv-fast` (1.7.5+), a fixed layout with epoch-millisecond times.
 */

/** The 48-column header of nfdump 1.6.13 – 1.7.4 `-o csv`. */
export const LEGACY_48_HEADER =
  'ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,' +
  'nhb,svln,dvln,ismc,odmc,idmc,osmc,mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,' +
  'cl,sl,al,ra,eng,exid,tr';

/** The 43-column header of nfdump builds before 1.6.13 (no latencies, `exid` or `tr`). */
export const LEGACY_43_HEADER = LEGACY_48_HEADER.replace(',cl,sl,al,ra,eng,exid,tr', ',ra,eng');

/** The default `-o csv` header of nfdump ≥ 1.7.5. */
export const DEFAULT_CSV_HEADER =
  'firstSeen,duration,proto,srcAddr,srcPort,dstAddr,dstPort,packets,bytes,flows';

/** The `-o csv-fast` header of nfdump ≥ 1.7.5. */
export const CSV_FAST_HEADER =
  'cnt,af,firstSeen,lastSeen,proto,srcAddr,srcPort,dstAddr,dstPort,srcAS,dstAS,input,output,flags,srcTos,packets,bytes';

/** Legacy names, plus `pkt`/`byt`/`fl`, which some hand-made legacy-style exports carry. */
const LEGACY_NAMES = new Set([...LEGACY_48_HEADER.split(','), 'pkt', 'byt', 'fl']);

/** Header names nfdump ≥ 1.7.5 prints for its `%tok` tokens (`icmpTYpe` is nfdump's spelling). */
const TOKEN_NAMES = new Set(
  (
    'version count Ident engine exporterID firstSeen lastSeen received duration packets inPackets ' +
    'bytes inBytes srcPort dstPort icmpTYpe icmpType icmpCode proto flags fwdStatus tos srcTos bps ' +
    'pps bpp srcAddr dstAddr input output srcMask dstMask direction dstTos biDirection endReason ' +
    'srcNet dstNet inIfName outIfName outPackets outBytes flows srcVlan dstVlan srcAS dstAS ' +
    'bgpNextIP nextIP routerIP mplsLabel1 mplsLabel2 mplsLabel3 mplsLabel4 mplsLabel5 mplsLabel6 ' +
    'mplsLabel7 mplsLabel8 mplsLabel9 mplsLabel10 mplsLabel1-10 inSrcMac outDstMac inDstMac ' +
    'outSrcMac nextAS prevAS clientLatency serverLatency appLatency eventTime event connectionID ' +
    'xEvent srcXIP dstXIP srcXPort dstXPort ingressACL egressACL nselUser pbStart pbEnd pbStep ' +
    'pbSize nbarID nbarName obsDomainID obsPointID ingressVrfID ingressVrfName egressVrfID ' +
    'egressVrfName pfInterface pfAction pfReason pfDirection pfRule flowID inSrvID outSrvID ' +
    'natString ja3 ja4 sniName tlsVersion srcGeo dstGeo srcLocation dstLocation srcOrg dstOrg ' +
    'srcTor dstTor label minTTL maxTTL Frag cnt af'
  ).split(' '),
);

/** Fewest legacy names a header must have: `ts,sa,da` alone is too generic to claim. */
const MIN_LEGACY_NAMES = 6;

/** The nfdump CSV families (see the module notes). */
export type NfdumpFamily = 'legacy' | 'tokens' | 'fast';

/** Column positions of the values a flow needs; -1 when the header lacks the column. */
export interface NfdumpColumns {
  readonly family: NfdumpFamily;
  /** Short variant name for the ingest summary (`nfdump-legacy-48`, `nfdump-csv-default`, …). */
  readonly variant: string;
  /** The header line as it reads, to recognise it when it repeats (concatenated exports). */
  readonly headerLine: string;
  /** Column names, for quarantine reasons. */
  readonly names: readonly string[];
  readonly start: number;
  readonly end: number;
  readonly duration: number;
  readonly protocol: number;
  readonly srcAddr: number;
  readonly dstAddr: number;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly flags: number;
  readonly bytesOut: number;
  readonly packetsOut: number;
  readonly bytesIn: number;
  readonly packetsIn: number;
  readonly icmpType: number;
  readonly icmpCode: number;
  /** Names that are not nfdump's (site-added columns such as labels); their values are ignored. */
  readonly ignored: readonly string[];
}

/** What a header line is: usable columns, an nfdump header that cannot give flows, or neither. */
export type NfdumpHeader =
  | { readonly kind: 'columns'; readonly columns: NfdumpColumns }
  | { readonly kind: 'unusable'; readonly reason: string };

/**
 * Reads a line as an nfdump CSV header.
 *
 * @returns the mapped columns; `unusable` when it is an nfdump header without a protocol column;
 *   null when it is not an nfdump header with source, destination and start-time columns.
 */
export function readNfdumpHeader(line: string): NfdumpHeader | null {
  const names = line.split(',').map((name) => name.trim());
  if (names.length < 3) return null;
  const at = (...candidates: string[]) => {
    for (const name of candidates) {
      const index = names.indexOf(name);
      if (index >= 0) return index;
    }
    return -1;
  };
  let family: NfdumpFamily;
  let variant: string;
  const joined = names.join(',');
  if (joined === CSV_FAST_HEADER) {
    family = 'fast';
    variant = 'nfdump-csv-fast';
  } else if (at('ts') >= 0 && at('sa') >= 0 && at('da') >= 0) {
    if (names.filter((name) => LEGACY_NAMES.has(name)).length < MIN_LEGACY_NAMES) return null;
    family = 'legacy';
    variant =
      joined === LEGACY_48_HEADER
        ? 'nfdump-legacy-48'
        : joined === LEGACY_43_HEADER
          ? 'nfdump-legacy-43'
          : 'nfdump-legacy';
  } else if (at('firstSeen') >= 0 && at('srcAddr') >= 0 && at('dstAddr') >= 0) {
    family = 'tokens';
    variant = joined === DEFAULT_CSV_HEADER ? 'nfdump-csv-default' : 'nfdump-csv-tokens';
  } else {
    return null;
  }
  const legacy = family === 'legacy';
  const protocol = legacy ? at('pr') : at('proto');
  if (protocol < 0) {
    return {
      kind: 'unusable',
      reason: `nfdump CSV without a ${legacy ? 'pr' : 'proto'} column: its records cannot be placed as flows`,
    };
  }
  const vocabulary = legacy ? LEGACY_NAMES : TOKEN_NAMES;
  const columns: NfdumpColumns = {
    family,
    variant,
    headerLine: line,
    names,
    start: legacy ? at('ts') : at('firstSeen'),
    end: legacy ? at('te') : at('lastSeen'),
    duration: legacy ? at('td') : at('duration'),
    protocol,
    srcAddr: legacy ? at('sa') : at('srcAddr'),
    dstAddr: legacy ? at('da') : at('dstAddr'),
    srcPort: legacy ? at('sp') : at('srcPort'),
    dstPort: legacy ? at('dp') : at('dstPort'),
    flags: legacy ? at('flg') : at('flags'),
    bytesOut: legacy ? at('ibyt', 'byt') : at('inBytes', 'bytes'),
    packetsOut: legacy ? at('ipkt', 'pkt') : at('inPackets', 'packets'),
    bytesIn: legacy ? at('obyt') : at('outBytes'),
    packetsIn: legacy ? at('opkt') : at('outPackets'),
    icmpType: legacy ? -1 : at('icmpTYpe', 'icmpType'),
    icmpCode: legacy ? -1 : at('icmpCode'),
    ignored: names.filter((name) => !vocabulary.has(name)),
  };
  return { kind: 'columns', columns };
}
