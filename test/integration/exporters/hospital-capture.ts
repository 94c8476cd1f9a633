import {
  dicomPdu,
  dnsExchange,
  hl7Result,
  mllp,
  mulberry32,
  tlsSession,
} from './application-payloads.js';
import {
  type ProbeReply,
  writePing,
  writeSynProbe,
  writeTcpConnection,
  writeUdpExchange,
} from './packet-exchanges.js';
import { PcapWriter } from './pcap-writer.js';

/**
 * A quarter of an hour on a small hospital network as a mirror port would capture it: clinical
 * workstations resolving names and using the EHR and the Internet over HTTPS, a lab analyzer
 * sending HL7 results over MLLP, a CT scanner storing images on PACS over DICOM, a monitoring
 * host pinging servers, a little IPv6; and two port scans among it.
 */

/** Capture start: 2026-11-02 09:00:00 UTC; every packet falls within the same hour. */
export const CAPTURE_START_US = Date.UTC(2026, 10, 2, 9, 0, 0) * 1000;
const SECOND = 1_000_000;
const MINUTE = 60 * SECOND;

/** When each scan starts: the vertical one at 09:06, the SMB sweep at 09:07, RDP at 09:09. */
export const SCAN_STARTS_US = {
  vertical: CAPTURE_START_US + 6 * MINUTE,
  smbSweep: CAPTURE_START_US + 7 * MINUTE,
  rdpSweep: CAPTURE_START_US + 9 * MINUTE,
} as const;

/** The hosts of the capture, by role. */
export const HOSTS = {
  workstations: ['10.40.1.11', '10.40.1.12', '10.40.1.13', '10.40.1.14'],
  workstationV6: 'fd00:40::11',
  dns: '10.50.0.53',
  dnsV6: 'fd00:50::53',
  ehr: '10.10.0.80',
  ehrV6: 'fd00:10::80',
  internet: ['198.51.100.10', '198.51.100.20', '198.51.100.30'],
  labAnalyzer: '10.30.2.41',
  interfaceEngine: '10.50.0.25',
  ctScanner: '10.30.1.12',
  pacs: '10.20.0.10',
  monitor: '10.50.0.5',
  /** A compromised workstation: SYN-scans 40 ports of the EHR server, then port 445 on 30 hosts. */
  internalScanner: '10.40.1.66',
  /** An Internet host sweeping RDP over the medical-device network. */
  externalScanner: '203.0.113.66',
} as const;

/** The ports the internal scanner tries on the EHR server (443 and 22 are open there). */
export const VERTICAL_SCAN_PORTS = [
  21, 22, 23, 25, 53, 80, 88, 104, 110, 111, 135, 139, 143, 389, 443, 445, 464, 514, 636, 873, 993,
  995, 1433, 1521, 1723, 2049, 2575, 3306, 3389, 5432, 5900, 5985, 5986, 6379, 8000, 8080, 8443,
  9200, 11112, 27017,
];
/** Hosts the internal scanner probes on port 445: 10.20.0.1 – 10.20.0.30. */
export const SMB_SWEEP_TARGETS = Array.from({ length: 30 }, (_, i) => `10.20.0.${i + 1}`);
/** Hosts the external scanner probes on port 3389: 10.30.0.1 – 10.30.0.24. */
export const RDP_SWEEP_TARGETS = Array.from({ length: 24 }, (_, i) => `10.30.0.${i + 1}`);

/**
 * The wardflow configuration for this network: 10/8 and fd00::/8 internal, with the zones the
 * hosts above live in, so both scanners' targets are internal.
 */
export const HOSPITAL_CONFIG = {
  network: { internal: ['10.0.0.0/8', 'fd00::/8'] },
  timezone: 'UTC',
  zones: [
    { name: 'ehr-db', cidrs: ['10.10.0.0/24', 'fd00:10::/64'], tags: ['ephi'] },
    { name: 'imaging', cidrs: ['10.20.0.0/22'], tags: ['ephi', 'clinical'] },
    { name: 'devices', cidrs: ['10.30.0.0/16'], tags: ['medical-device'] },
    { name: 'workstations', cidrs: ['10.40.0.0/16', 'fd00:40::/64'], tags: ['clinical'] },
    { name: 'infrastructure', cidrs: ['10.50.0.0/16', 'fd00:50::/64'], tags: [] },
  ],
};

/** The capture and what it holds. */
export interface HospitalCapture {
  /** The pcap file (Ethernet, microsecond timestamps). */
  readonly pcap: Buffer;
  readonly packets: number;
  /** Distinct unidirectional flows in the capture (see {@link PcapWriter.directedFlows}). */
  readonly directedFlows: number;
}

/** Builds the capture; the same bytes every time (a fixed-seed generator places the jitter). */
export function buildHospitalCapture(): HospitalCapture {
  const pcap = new PcapWriter();
  const random = mulberry32(0x5eed);
  const jitter = (us: number) => Math.floor(random() * us);
  let nextPort = 40_000;
  const ephemeral = () => nextPort++;

  // Workstations: DNS lookups, HTTPS to the EHR and to the Internet, spread over 14 minutes.
  HOSTS.workstations.forEach((ws, w) => {
    for (let i = 0; i < 8; i++) {
      const at = CAPTURE_START_US + i * 100 * SECOND + w * 7 * SECOND + jitter(5 * SECOND);
      const name = ['ehr.hospital.example', 'www.example.org', 'updates.example.com'][i % 3];
      const answer = i % 3 === 0 ? HOSTS.ehr : (HOSTS.internet[i % 3] as string);
      lookUp(pcap, ws, HOSTS.dns, ephemeral(), at, name as string, answer);
      const server = i % 2 === 0 ? HOSTS.ehr : (HOSTS.internet[(i + w) % 3] as string);
      writeTcpConnection(pcap, {
        client: ws,
        server,
        clientPort: ephemeral(),
        serverPort: 443,
        startUs: at + 20_000,
        rttUs: server === HOSTS.ehr ? 400 : 18_000,
        gapUs: 30_000 + jitter(200_000),
        messages: tlsSession(2 + (i % 3), random),
      });
    }
  });

  // The scanner is a workstation too, with ordinary traffic before it starts scanning.
  for (let i = 0; i < 3; i++) {
    const at = CAPTURE_START_US + 30 * SECOND + i * 90 * SECOND;
    lookUp(
      pcap,
      HOSTS.internalScanner,
      HOSTS.dns,
      ephemeral(),
      at,
      'ehr.hospital.example',
      HOSTS.ehr,
    );
    writeTcpConnection(pcap, {
      client: HOSTS.internalScanner,
      server: HOSTS.ehr,
      clientPort: ephemeral(),
      serverPort: 443,
      startUs: at + 15_000,
      rttUs: 400,
      gapUs: 50_000,
      messages: tlsSession(2, random),
    });
  }

  // HL7 v2 over MLLP: the lab analyzer sends results, the interface engine acknowledges.
  for (let i = 0; i < 5; i++) {
    writeTcpConnection(pcap, {
      client: HOSTS.labAnalyzer,
      server: HOSTS.interfaceEngine,
      clientPort: ephemeral(),
      serverPort: 2575,
      startUs: CAPTURE_START_US + 45 * SECOND + i * 150 * SECOND + jitter(SECOND),
      rttUs: 600,
      gapUs: 5_000,
      messages: [
        { from: 'client', data: mllp(hl7Result(i)) },
        {
          from: 'server',
          data: mllp(`MSH|^~\\&|IE|HOSP|LAB|HOSP|||ACK|ACK${i}|P|2.5\rMSA|AA|MSG${i}\r`),
        },
      ],
    });
  }

  // DICOM C-STORE: the CT scanner associates with PACS and sends images.
  for (let i = 0; i < 2; i++) {
    writeTcpConnection(pcap, {
      client: HOSTS.ctScanner,
      server: HOSTS.pacs,
      clientPort: ephemeral(),
      serverPort: 104,
      startUs: CAPTURE_START_US + 2 * MINUTE + i * 6 * MINUTE,
      rttUs: 300,
      gapUs: 2_000,
      messages: [
        { from: 'client', data: dicomPdu(0x01, 205) }, // A-ASSOCIATE-RQ
        { from: 'server', data: dicomPdu(0x02, 187) }, // A-ASSOCIATE-AC
        { from: 'client', data: dicomPdu(0x04, 48_000 + i * 9_000) }, // P-DATA-TF (the image)
        { from: 'server', data: dicomPdu(0x04, 120) }, // C-STORE-RSP
        { from: 'client', data: dicomPdu(0x05, 4) }, // A-RELEASE-RQ
        { from: 'server', data: dicomPdu(0x06, 4) }, // A-RELEASE-RP
      ],
    });
  }

  // Monitoring pings; one IPv6 workstation resolves and uses the EHR's IPv6 address.
  writePing(pcap, HOSTS.monitor, HOSTS.ehr, CAPTURE_START_US + 5 * SECOND, 3);
  writePing(pcap, HOSTS.monitor, HOSTS.interfaceEngine, CAPTURE_START_US + 9 * SECOND, 3);
  const v6At = CAPTURE_START_US + 4 * MINUTE;
  lookUp(
    pcap,
    HOSTS.workstationV6,
    HOSTS.dnsV6,
    ephemeral(),
    v6At,
    'ehr.hospital.example',
    HOSTS.ehrV6,
  );
  writeTcpConnection(pcap, {
    client: HOSTS.workstationV6,
    server: HOSTS.ehrV6,
    clientPort: ephemeral(),
    serverPort: 443,
    startUs: v6At + 10_000,
    rttUs: 400,
    gapUs: 40_000,
    messages: tlsSession(3, random),
  });

  // Vertical scan: 40 ports of the EHR server, one probe every 150 ms from one source port.
  VERTICAL_SCAN_PORTS.forEach((port, i) => {
    const reply: ProbeReply = port === 443 || port === 22 ? 'open' : 'closed';
    writeSynProbe(pcap, {
      scanner: HOSTS.internalScanner,
      target: HOSTS.ehr,
      srcPort: 61_234,
      dstPort: port,
      startUs: SCAN_STARTS_US.vertical + i * 150_000,
      rttUs: 350,
      reply,
    });
  });
  // Horizontal scan: port 445 on 30 imaging hosts; most are down or filtered.
  SMB_SWEEP_TARGETS.forEach((target, i) => {
    writeSynProbe(pcap, {
      scanner: HOSTS.internalScanner,
      target,
      srcPort: 61_300,
      dstPort: 445,
      startUs: SCAN_STARTS_US.smbSweep + i * 200_000,
      rttUs: 500,
      reply: sweepReply(i),
    });
  });
  // From the Internet: RDP on 24 device addresses.
  RDP_SWEEP_TARGETS.forEach((target, i) => {
    writeSynProbe(pcap, {
      scanner: HOSTS.externalScanner,
      target,
      srcPort: 54_321,
      dstPort: 3389,
      startUs: SCAN_STARTS_US.rdpSweep + i * 300_000,
      rttUs: 21_000,
      reply: i % 5 === 0 ? 'closed' : 'filtered',
    });
  });

  return { pcap: pcap.toBuffer(), packets: pcap.size, directedFlows: pcap.directedFlows };
}

function sweepReply(i: number): ProbeReply {
  if (i % 7 === 0) return 'open';
  return i % 3 === 0 ? 'closed' : 'filtered';
}

/** A DNS lookup over UDP: the query for `name` and the answer `answer`, 0.9 ms later. */
function lookUp(
  pcap: PcapWriter,
  client: string,
  server: string,
  clientPort: number,
  startUs: number,
  name: string,
  answer: string,
): void {
  const { query, reply } = dnsExchange(clientPort & 0xffff, name, answer);
  writeUdpExchange(pcap, {
    client,
    server,
    clientPort,
    serverPort: 53,
    startUs,
    rttUs: 900,
    request: query,
    reply,
  });
}
