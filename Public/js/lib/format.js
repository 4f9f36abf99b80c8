// Dates and times as the signed-in person wants them: in their chosen zone (or, without one, the zone of the
// location a time belongs to) and in their date and time formats.

let preferences = { timezone: null, date_format: "YYYY-MM-DD", time_format: "24h" };

export function setPreferences(prefs) {
  preferences = { ...preferences, ...prefs };
}

export function getPreferences() {
  return preferences;
}

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The zone to show a time of a place in `placeZone`: the person's own choice wins. */
export function zoneFor(placeZone) {
  return preferences.timezone || placeZone || browserZone;
}

const partFormats = new Map();
function partsFormat(zone) {
  let format = partFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit", weekday: "short",
    });
    partFormats.set(zone, format);
  }
  return format;
}

/** Calendar fields of an instant in a zone: `{year, month, day, hour, minute, second, weekday}` (weekday 0 = Monday). */
export function localParts(instant, zone) {
  const parts = {};
  for (const { type, value } of partsFormat(zone).formatToParts(new Date(instant))) parts[type] = value;
  return {
    year: +parts.year, month: +parts.month, day: +parts.day, hour: +parts.hour % 24, minute: +parts.minute,
    second: +parts.second, weekday: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday),
  };
}

const pad = (n) => String(n).padStart(2, "0");

/** The local day (`YYYY-MM-DD`) of an instant in a zone. */
export function localDate(instant, zone) {
  const p = localParts(instant, zone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** Minutes since local midnight of an instant in a zone. */
export function localMinutes(instant, zone) {
  const p = localParts(instant, zone);
  return p.hour * 60 + p.minute;
}

/** The instant at `minutes` after midnight of local day `date` in `zone`, daylight-saving changes included. */
export function zonedInstant(date, minutes, zone) {
  const [y, m, d] = date.split("-").map(Number);
  const wall = Date.UTC(y, m - 1, d, 0, minutes);
  let guess = wall;
  // Two passes settle the offset on either side of a daylight-saving change.
  for (let i = 0; i < 2; i++) {
    const p = localParts(guess, zone);
    const seen = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    guess += wall - seen;
  }
  return new Date(guess);
}

/** `YYYY-MM-DD` plus `n` days. */
export function addDays(date, n) {
  const [y, m, d] = date.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** Weekday of a `YYYY-MM-DD` day, 0 = Monday. */
export function weekdayOf(date) {
  const [y, m, d] = date.split("-").map(Number);
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

export function formatDay(date) {
  const [y, m, d] = date.split("-");
  switch (preferences.date_format) {
    case "DD.MM.YYYY": return `${d}.${m}.${y}`;
    case "DD/MM/YYYY": return `${d}/${m}/${y}`;
    case "MM/DD/YYYY": return `${m}/${d}/${y}`;
    default: return `${y}-${m}-${d}`;
  }
}

const weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const longWeekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** "Mon 2026-03-23" in the person's date format. */
export function formatDayWithWeekday(date, { long = false } = {}) {
  return `${(long ? longWeekdayNames : weekdayNames)[weekdayOf(date)]} ${formatDay(date)}`;
}

export function weekdayName(index, { long = false } = {}) {
  return (long ? longWeekdayNames : weekdayNames)[index];
}

/** A time of day given in minutes since midnight (1440 is shown as 24:00 / 12:00 AM). */
export function formatClock(minutes) {
  const h = Math.floor(minutes / 60), m = minutes % 60;
  if (preferences.time_format === "12h") {
    const h12 = h % 12 === 0 ? 12 : h % 12;
    return `${h12}:${pad(m)} ${h % 24 < 12 ? "AM" : "PM"}`;
  }
  return `${pad(h)}:${pad(m)}`;
}

export function formatTime(instant, zone) {
  return formatClock(localMinutes(instant, zone));
}

export function formatDateTime(instant, zone) {
  return `${formatDayWithWeekday(localDate(instant, zone))} ${formatTime(instant, zone)}`;
}

/** "Mon 2026-03-23 09:00–17:00", or with both days when the range spans midnight. */
export function formatRange(start, end, zone) {
  const startDay = localDate(start, zone);
  const endDay = localDate(new Date(new Date(end).getTime() - 1), zone);
  if (startDay === endDay) {
    const endMinutes = localMinutes(end, zone);
    return `${formatDayWithWeekday(startDay)} ${formatTime(start, zone)}–${formatClock(endMinutes === 0 ? 1440 : endMinutes)}`;
  }
  return `${formatDateTime(start, zone)} – ${formatDateTime(end, zone)}`;
}

/** "3 h 30 min". */
export function formatDuration(minutes) {
  const h = Math.floor(minutes / 60), m = Math.round(minutes % 60);
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** The zone's abbreviation or offset, for labels such as "Times in CET". */
export function zoneLabel(zone, instant = new Date()) {
  const part = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "short" })
    .formatToParts(new Date(instant)).find((p) => p.type === "timeZoneName");
  return part ? part.value : zone;
}

/** Today in a zone. */
export function today(zone) {
  return localDate(new Date(), zone);
}
