// Days typed as text (the out-of-office fields): `YYYY-MM-DD` is the same in every language, unlike the
// browser's date input, which shows the OS's format whatever the window's language.

/** `text` as a real calendar day `YYYY-MM-DD` not before `min`, or null. */
export function parseDay(text: string, min: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  const iso = match[0];
  return iso < min ? null : iso;
}
