import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { type Document, isNode, LineCounter, parseDocument, YAMLParseError } from 'yaml';
import { parseConfig, type WardflowConfig } from './config.js';
import { resolveThreatIntel } from './detection/threat-intel.js';
import { ConfigError } from './errors.js';

/** Options of {@link loadConfigFile}. */
export interface LoadConfigFileOptions {
  /**
   * Largest file accepted, in bytes; a config file is a few kilobytes, so anything much larger
   * is a wrong path.
   * @default 1048576 (1 MiB)
   */
  readonly maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 1024 * 1024;

/**
 * Reads and validates a wardflow configuration file, JSON or YAML.
 *
 * A `.json` file is read as strict JSON; any other file as YAML 1.2, which also reads a JSON
 * document by content (YAML 1.2 is a superset of JSON) and, unlike `JSON.parse`, rejects
 * duplicate keys and knows the line of every key. Every error is a {@link ConfigError} whose
 * message names the file: unreadable or oversized files, syntax errors (with line and column),
 * and validation errors from {@link parseConfig}, which keep their key path and, for YAML, gain
 * the line of the offending key.
 *
 * @param path file to read
 * @throws ConfigError naming the file and, for invalid content, the key path
 */
export async function loadConfigFile(
  path: string,
  options: LoadConfigFileOptions = {},
): Promise<WardflowConfig> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let text: string;
  try {
    const info = await stat(path);
    if (!info.isFile()) {
      throw new ConfigError(
        '',
        `config file ${path}: expected a regular file, got a directory or device`,
      );
    }
    if (info.size > maxBytes) {
      throw new ConfigError(
        '',
        `config file ${path}: expected at most ${maxBytes} bytes, got ${info.size}`,
      );
    }
    // Editors on Windows may start the file with a byte order mark; JSON.parse rejects it.
    text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError('', `cannot read config file ${path}`, { cause: error });
  }

  const config =
    extname(path).toLowerCase() === '.json' ? loadJson(text, path) : loadYaml(text, path);
  return readLocalThreatIntel(config, dirname(path));
}

/**
 * Reads the local list files of `threat_intel.files` (relative to the config file's folder) into
 * `threat_intel.ips`; `s3://` lists stay in `files` for the cloud handlers, which read them from S3.
 */
async function readLocalThreatIntel(config: WardflowConfig, base: string): Promise<WardflowConfig> {
  const local = config.threat_intel.files.filter((file) => !file.startsWith('s3://'));
  if (local.length === 0) return config;
  const resolved = await resolveThreatIntel(
    { ...config, threat_intel: { ips: config.threat_intel.ips, files: local } },
    async (file) => {
      try {
        return await readFile(resolve(base, file), 'utf8');
      } catch (error) {
        throw new ConfigError('threat_intel.files', `cannot read threat-intel list ${file}`, {
          cause: error,
        });
      }
    },
  );
  return {
    ...resolved,
    threat_intel: {
      ips: resolved.threat_intel.ips,
      files: config.threat_intel.files.filter((file) => file.startsWith('s3://')),
    },
  };
}

function loadJson(text: string, path: string): WardflowConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message);
    const where = position ? ` (${lineAndColumn(text, Number(position[1]))})` : '';
    throw new ConfigError('', `config file ${path}: invalid JSON${where}: ${message}`);
  }
  return validate(raw, path, () => '');
}

function loadYaml(text: string, path: string): WardflowConfig {
  const lineCounter = new LineCounter();
  // uniqueKeys (the default) makes a repeated key an error instead of a silent last-one-wins.
  const document = parseDocument(text, { lineCounter, prettyErrors: true });
  const first = document.errors[0];
  if (first !== undefined) {
    const where =
      first instanceof YAMLParseError && first.linePos
        ? ` (line ${first.linePos[0].line}, column ${first.linePos[0].col})`
        : '';
    // The parser's message repeats the position and appends a source excerpt; keep the sentence.
    const summary = (first.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError('', `config file ${path}: invalid YAML${where}: ${summary}`);
  }
  return validate(document.toJS({ maxAliasCount: 100 }), path, (keyPath) =>
    lineOf(document, lineCounter, keyPath),
  );
}

/** Runs parseConfig, adding the file (and the line, when known) to its errors. */
function validate(raw: unknown, path: string, locate: (keyPath: string) => string): WardflowConfig {
  try {
    return parseConfig(raw);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const bare = error.path === '' ? error.message : error.message.slice(error.path.length + 2);
    const line = locate(error.path);
    throw new ConfigError(error.path, `${bare} (in ${path}${line})`);
  }
}

/** `, line N` for a key path such as `zones[1].cidrs[0]`, or '' when it cannot be found. */
function lineOf(document: Document, lineCounter: LineCounter, keyPath: string): string {
  if (keyPath === '') return '';
  const segments: (string | number)[] = [];
  const pattern = /([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (const match of keyPath.matchAll(pattern)) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[3] !== undefined) segments.push(JSON.parse(match[3]) as string);
  }
  // The offending key itself may not exist (a missing required key): fall back to its parent.
  for (let n = segments.length; n > 0; n--) {
    const node = document.getIn(segments.slice(0, n), true);
    if (isNode(node) && node.range) {
      return `, line ${lineCounter.linePos(node.range[0]).line}`;
    }
  }
  return '';
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}
