/**
 * The `#` directives at the top of a Zeek ASCII (TSV) log, as the ASCII writer prints them
 * (`base/frameworks/logging/writers/ascii.zeek`):
 *
 * ```text
 * #separator \x09
 * #set_separator	,
 * #empty_field	(empty)
 * #unset_field	-
 * #path	conn
 * #fields	ts	uid	id.orig_h	…
 * ```
 *
 * `#separator` comes first and is written with a space and `\xHH` escapes, since the separator is
 * not yet known; every later directive is written with the separator itself.
 */

/** The separator when a log carries no `#separator` line (Zeek's default, a tab). */
export const ZEEK_DEFAULT_SEPARATOR = '\t';

/** A header directive: its name without `#` (`fields`) and its values (`['ts', 'uid', …]`). */
export interface ZeekDirective {
  readonly name: string;
  readonly values: readonly string[];
}

/** Decodes `\xHH` escapes (`\x09` → tab), as Zeek writes the `#separator` value. */
export function decodeZeekEscapes(text: string): string {
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_match, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/**
 * Reads a `#` directive line.
 *
 * @param line - a line starting with `#`.
 * @param separator - the separator in force (from the last `#separator`).
 * @returns the directive; `#separator` yields its decoded value as the only value.
 */
export function readZeekDirective(line: string, separator: string): ZeekDirective {
  if (line.startsWith('#separator')) {
    // One space (or tab) after the name, then the escaped separator.
    return { name: 'separator', values: [decodeZeekEscapes(line.slice(11))] };
  }
  const parts = line.slice(1).split(separator);
  return { name: parts[0] ?? '', values: parts.slice(1) };
}

/** Whether a line looks like the start of a Zeek ASCII log header. */
export function isZeekHeaderLine(line: string): boolean {
  return line.startsWith('#separator ') || line.startsWith('#fields');
}
