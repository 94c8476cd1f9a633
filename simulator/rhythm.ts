import type { RhythmName } from './profile.js';

/**
 * How busy a kind of traffic is at a moment, 0–~2 (1 = a weekday's busy hour). Times are the
 * hospital's local time, which the generator takes to be UTC.
 * - `office`: admin and most workstation use; nights and weekends quiet.
 * - `clinical`: 24×7 care with a day peak and bursts at the 07:00 and 19:00 shift changes.
 * - `guest`: visitors' devices, afternoons and evenings, more at weekends.
 * - `flat`: devices and servers that never sleep.
 */
export function activity(rhythm: RhythmName, ms: number): number {
  if (rhythm === 'flat') return 1;
  const hour = (ms % 86_400_000) / 3_600_000;
  const weekday = (Math.floor(ms / 86_400_000) + 4) % 7; // 1970-01-01 was a Thursday
  const weekend = weekday === 0 || weekday === 6;
  switch (rhythm) {
    case 'office': {
      let a: number;
      if (hour < 6) a = 0.04;
      else if (hour < 8) a = 0.04 + (hour - 6) * 0.48;
      else if (hour < 12) a = 1;
      else if (hour < 13) a = 0.7;
      else if (hour < 17) a = 1;
      else if (hour < 19) a = 1 - (hour - 17) * 0.4;
      else a = 0.1;
      return weekend ? a * 0.15 : a;
    }
    case 'clinical': {
      let a = hour < 6 ? 0.35 : hour < 8 ? 0.7 : hour < 18 ? 1 : hour < 22 ? 0.6 : 0.4;
      // Shift change: handovers, logins and chart reviews bunch up around 07:00 and 19:00.
      if (Math.abs(hour - 7) < 0.4 || Math.abs(hour - 19) < 0.4) a *= 1.8;
      return weekend ? a * 0.7 : a;
    }
    case 'guest': {
      const a = hour < 7 ? 0.08 : hour < 10 ? 0.4 : hour < 21 ? 1 : 0.3;
      return weekend ? a * 1.2 : a;
    }
  }
}
