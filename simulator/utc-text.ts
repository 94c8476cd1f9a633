/**
 * Fast UTC renderings of epoch milliseconds for the writers. Millions of records share a few
 * days, so the day part is cached and the time of day comes from a table built once.
 */
const HMS: string[] = [];
const HMS_DASH: string[] = [];
for (let s = 0; s < 86_400; s++) {
  const h = String(Math.floor(s / 3600)).padStart(2, '0');
  const m = String(Math.floor(s / 60) % 60).padStart(2, '0');
  const sec = String(s % 60).padStart(2, '0');
  HMS.push(`${h}:${m}:${sec}`);
  HMS_DASH.push(`${h}-${m}-${sec}`);
}
const MS3: string[] = [];
for (let i = 0; i < 1000; i++) MS3.push(String(i).padStart(3, '0'));

let cachedDay = -1;
let cachedDayText = '';

/** `YYYY-MM-DD` of a UTC day number. */
function dayText(day: number): string {
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayText = new Date(day * 86_400_000).toISOString().slice(0, 10);
  }
  return cachedDayText;
}

/** `YYYY-MM-DD HH:MM:SS` (UTC) of epoch ms, whole seconds. */
export function utcSeconds(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  const sec = Math.floor((ms - day * 86_400_000) / 1000);
  return `${dayText(day)} ${HMS[sec]}`;
}

/** `YYYY-MM-DD HH:MM:SS.mmm` (UTC) of epoch ms. */
export function utcMillis(ms: number): string {
  return `${utcSeconds(ms)}.${MS3[ms % 1000]}`;
}

/** `YYYY-MM-DD-HH-MM-SS` (UTC), as Zeek's `#open`/`#close` lines print times. */
export function utcDashed(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  const sec = Math.floor((ms - day * 86_400_000) / 1000);
  return `${dayText(day)}-${HMS_DASH[sec]}`;
}

/** `seconds.ffffff` of epoch ms, as Zeek prints `ts`. */
export function zeekSeconds(ms: number): string {
  return `${Math.floor(ms / 1000)}.${MS3[ms % 1000]}000`;
}

/** `seconds.ffffff` of a duration in ms. */
export function zeekInterval(ms: number): string {
  return `${Math.floor(ms / 1000)}.${MS3[ms % 1000]}000`;
}

/** `seconds.mmm` of a duration in ms, as nfdump prints `td`/`duration`. */
export function nfdumpDuration(ms: number): string {
  return `${Math.floor(ms / 1000)}.${MS3[ms % 1000]}`;
}
