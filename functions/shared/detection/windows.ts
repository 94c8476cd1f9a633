/** A detection window in event time, `[start, end)`. */
export interface TimeWindow {
  readonly start: Date;
  readonly end: Date;
}

/**
 * The windows of `sizeMs` that cover `[from, to)`, aligned to multiples of the size since the
 * epoch, so that every run (and every overlapping run) cuts time the same way.
 */
export function alignedWindows(from: Date, to: Date, sizeMs: number): TimeWindow[] {
  const windows: TimeWindow[] = [];
  const first = Math.floor(from.getTime() / sizeMs) * sizeMs;
  for (let start = first; start < to.getTime(); start += sizeMs) {
    windows.push({ start: new Date(start), end: new Date(start + sizeMs) });
  }
  return windows;
}

/** True when the window overlaps any of the hour buckets (hours since the epoch) that hold data. */
export function windowHasData(window: TimeWindow, hoursWithData: ReadonlySet<number>): boolean {
  const firstHour = Math.floor(window.start.getTime() / 3_600_000);
  const lastHour = Math.ceil(window.end.getTime() / 3_600_000) - 1;
  if (lastHour - firstHour > hoursWithData.size) {
    for (const hour of hoursWithData) if (hour >= firstHour && hour <= lastHour) return true;
    return false;
  }
  for (let hour = firstHour; hour <= lastHour; hour++) if (hoursWithData.has(hour)) return true;
  return false;
}
