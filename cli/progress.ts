/**
 * A one-line progress display on a terminal's stderr. It stays silent when stderr is not a
 * terminal (piped, CI), so logs and `--json` output stay clean.
 */
export class Progress {
  private lastDraw = 0;
  private readonly enabled: boolean;

  public constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.stream = stream;
    this.enabled = stream.isTTY === true;
  }

  private readonly stream: NodeJS.WriteStream;

  /** Redraws at most ten times a second. */
  public update(text: string): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const width = this.stream.columns ?? 80;
    this.stream.write(`\r${text.slice(0, width - 1).padEnd(width - 1)}`);
  }

  /** Clears the line. */
  public done(): void {
    if (!this.enabled) return;
    this.stream.write(`\r${' '.repeat((this.stream.columns ?? 80) - 1)}\r`);
  }
}
