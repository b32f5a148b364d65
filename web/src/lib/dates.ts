const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

export const formatDateTime = (iso: string | null | undefined): string => (iso ? dateTime.format(new Date(iso)) : '—');
/** A calendar day (`YYYY-MM-DD`, UTC) as the reader's locale writes it. */
export const formatDay = (day: string | null | undefined): string => (day ? dateOnly.format(new Date(`${day.slice(0, 10)}T00:00:00Z`)) : '—');
export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);
