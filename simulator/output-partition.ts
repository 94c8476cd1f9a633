import type { HospitalNetwork } from './network.js';

/**
 * Splits the run's outputs (collector keys and flow log ids) into at most `parts` groups of
 * similar weight, for workers. The split depends only on the network, never on timing, and
 * each output is written whole by one worker, so the bytes do not depend on the thread count.
 * The weight of an output is the number of hosts it observes: a rough proxy for its records.
 */
export function partitionOutputs(network: HospitalNetwork, parts: number): string[][] {
  const weights = new Map<string, number>();
  for (const c of network.collectors) weights.set(c.key, 0);
  for (const f of network.profile.cloud.flow_logs) weights.set(f.id, 0);
  for (const h of network.hosts) {
    const key = h.collector?.key ?? h.eni?.flowLog.id;
    if (key !== undefined) weights.set(key, (weights.get(key) ?? 0) + 1);
  }
  const groups: { keys: string[]; weight: number }[] = [];
  for (let i = 0; i < Math.max(1, Math.min(parts, weights.size)); i++)
    groups.push({ keys: [], weight: 0 });
  // Longest first, each to the lightest group: a deterministic greedy balance.
  const order = [...weights].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  for (const [key, weight] of order) {
    let lightest = groups[0] as { keys: string[]; weight: number };
    for (const g of groups) if (g.weight < lightest.weight) lightest = g;
    lightest.keys.push(key);
    lightest.weight += weight;
  }
  return groups.map((g) => g.keys).filter((keys) => keys.length > 0);
}
