import { fileURLToPath } from 'node:url';

/** The repository root: the CDK app, the handlers and `queries/` live under it. */
export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** `queries/` of this checkout: tables, detections, baselines and audit queries. */
export const QUERIES_ROOT = fileURLToPath(new URL('../queries/', import.meta.url));
