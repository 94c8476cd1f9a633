/** Who an injected attack involves; null where the attack has no single value. */
export interface GroundTruthEntities {
  readonly src_ip: string | null;
  readonly dst_ip: string | null;
  readonly dst_port: number | null;
  /** source-silence only: the ingest sensor and the object prefix that went quiet. */
  readonly sensor?: string;
  readonly source?: string;
}

/** One injected attack. */
export interface GroundTruthAttack {
  readonly id: string;
  readonly scenario: string;
  readonly description: string;
  /** Detection ids (DESIGN.md catalogue) that should fire. */
  readonly detections: readonly string[];
  readonly entities: GroundTruthEntities;
  /** ISO UTC, end exclusive. */
  readonly window: { readonly start: string; readonly end: string };
  readonly params: Readonly<Record<string, number | string>>;
  /** Connections injected (0 for source-silence). */
  readonly connections: number;
}

/** `ground-truth.json`: how the data was made and what was injected. */
export interface GroundTruth {
  readonly generator: {
    readonly seed: number;
    readonly profile: string;
    readonly hosts: number;
    readonly days: number;
    readonly start: string;
    readonly end: string;
  };
  readonly attacks: readonly GroundTruthAttack[];
}
