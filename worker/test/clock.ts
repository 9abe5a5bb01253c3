/**
 * A fixed-offset IANA zone where it is about midday at `now`: sends a test makes in the next few
 * hours are never held for the contact's night (quiet hours, waking hours), whatever the real clock says.
 */
export function middayZone(now: number): string {
  const offset = ((12 - new Date(now).getUTCHours() + 36) % 24) - 12;
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}
