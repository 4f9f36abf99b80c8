// Dates and times as the signed-in person wants them, by one rule (docs/time.md):
// - a place's times (bookings, availability, rooms, opening hours) in that place's zone, labelled with the zone's
//   city ("Berlin time") where its clock differs from the person's own;
// - times that belong to no place (audit, notifications, tokens, sessions) in the person's own zone: their preferred
//   zone, else this device's.
// Dates and clock times are written in the person's date and time formats.

let preferences = { timezone: null, date_format: "YYYY-MM-DD", time_format: "24h" };

export function setPreferences(prefs) {
  preferences = { ...preferences, ...prefs };
}

export function getPreferences() {
  return preferences;
}

const zoneOfDevice = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The zone this device is set to. */
export function deviceZone() {
  return zoneOfDevice;
}

/** The person's own zone: their preferred zone, else this device's. Times that belong to no place are shown in it. */
export function ownZone() {
  return preferences.timezone || zoneOfDevice;
}

/**
 * The zone to show a time in: a place's times in the place's zone (`placeZone`), whatever the person or the device
 * prefers; a time that belongs to no place (`zoneFor(null)`) in the person's own zone.
 */
export function zoneFor(placeZone) {
  return placeZone || ownZone();
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

/** Per zone, a formatter that names it by a common abbreviation ("CET", "EDT", "IST") where an English locale has one. */
const nameFormats = new Map();
function nameFormat(zone) {
  let format = nameFormats.get(zone);
  if (!format) {
    const formats = ["en-US", "en-GB", "en-AU", "en-IN"].map((locale) => new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: "short" }));
    const named = (f) => [Date.UTC(2026, 0, 15), Date.UTC(2026, 6, 15)].every((instant) => !/^GMT[+-]/.test(shortName(f, instant)));
    format = formats.find(named) ?? formats[0];
    nameFormats.set(zone, format);
  }
  return format;
}
const shortName = (format, instant) => format.formatToParts(new Date(instant)).find((p) => p.type === "timeZoneName")?.value;

/** The zone's abbreviation or offset ("CET", "EDT", "GMT+9"), as the zone writes it at `instant`. */
export function zoneLabel(zone, instant = new Date()) {
  return shortName(nameFormat(zone), instant) ?? zone;
}

/** Today in a zone. */
export function today(zone) {
  return localDate(new Date(), zone);
}

/** "Berlin" for Europe/Berlin, "New York" for America/New_York; a zone without a city (UTC, Etc/GMT-2) keeps its name. */
export function zoneCity(zone) {
  if (!zone.includes("/") || zone.startsWith("Etc/")) return zoneLabel(zone);
  return zone.slice(zone.lastIndexOf("/") + 1).replaceAll("_", " ");
}

/** "Berlin time (CET)": how a hint names the zone a place's times are in ("UTC" for a zone without a city). */
export function zoneText(zone, instant = new Date()) {
  const city = zoneCity(zone), short = zoneLabel(zone, instant);
  return city === short ? short : `${city} time (${short})`;
}

/** The UTC offset of a zone at an instant, in minutes. */
function offsetOf(zone, instant) {
  const p = localParts(instant, zone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((wall - Math.floor(new Date(instant).getTime() / 1000) * 1000) / 60000);
}

/** Whether a place's clock in `zone` shows another time than the person's own zone at `instant`. */
export function differsFromOwn(zone, instant = new Date()) {
  return zone !== ownZone() && offsetOf(zone, instant) !== offsetOf(ownZone(), instant);
}

/** "Berlin time" when a place's clock differs from the person's own at `instant`, else "". */
export function placeTimeLabel(zone, instant = new Date()) {
  return differsFromOwn(zone, instant) ? `${zoneCity(zone)} time` : "";
}

/** A place's time range with its zone's label where the person's own clock differs: "Mon 2026-03-23 09:00–17:00 Berlin time". */
export function formatPlaceRange(start, end, zone) {
  const label = placeTimeLabel(zone, start);
  return label ? `${formatRange(start, end, zone)} ${label}` : formatRange(start, end, zone);
}

const monthFormat = new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" });

/** "November 2026" for a `YYYY-MM-DD` day. */
export function formatMonth(day) {
  return monthFormat.format(new Date(`${day.slice(0, 8)}01T12:00:00Z`));
}

// MARK: reading what a person types

/** The person's date format as a pattern to show next to a field: "DD.MM.YYYY". */
export function datePattern() {
  return preferences.date_format || "YYYY-MM-DD";
}

/** Whether `y-m-d` is a real calendar day. */
function isRealDay(y, m, d) {
  const t = new Date(Date.UTC(y, m - 1, d));
  return y >= 1000 && y <= 9999 && t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** Whether `text` is a day that exists, written `YYYY-MM-DD` with a 4-digit year (2026-02-30 and 52026-01-01 are not). */
export function isIsoDay(text) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text ?? "");
  return match !== null && isRealDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

/**
 * The day (`YYYY-MM-DD`) a person typed in their date format (an ISO `YYYY-MM-DD` is read too); null when the text
 * is not a real day.
 */
export function parseDay(text) {
  const value = String(text ?? "").trim();
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  let y, m, d;
  if (match) [, y, m, d] = match.map(Number);
  else {
    match = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(value);
    if (!match) return null;
    const [first, second, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
    y = year;
    [m, d] = datePattern() === "MM/DD/YYYY" ? [first, second] : [second, first];
  }
  return isRealDay(y, m, d) ? `${y}-${pad(m)}-${pad(d)}` : null;
}

/**
 * Minutes since midnight of a clock time a person typed: "17:30", "1730", "9", "9.30", "5:30 pm", "12 am"; "24:00"
 * is 1440. Null when it is no time of day.
 */
export function parseClock(text) {
  const match = /^(\d{1,2})(?:[:.h]?(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|a|p)?$/i.exec(String(text ?? "").trim());
  if (!match) return null;
  let hours = Number(match[1]);
  const minutes = match[2] === undefined ? 0 : Number(match[2]);
  const half = match[3]?.[0].toLowerCase();
  if (minutes > 59) return null;
  if (half) {
    if (hours < 1 || hours > 12) return null;
    hours = (hours % 12) + (half === "p" ? 12 : 0);
  }
  const total = hours * 60 + minutes;
  return total > 1440 ? null : total;
}

/**
 * How this browser writes dates in its own `<input type=date>` fields ("mm/dd/yyyy", "dd.mm.yyyy"), which follow the
 * browser's language rather than the person's chosen format.
 */
export function browserDatePattern() {
  const names = { year: "yyyy", month: "mm", day: "dd" };
  return new Intl.DateTimeFormat(navigator.language, { year: "numeric", month: "2-digit", day: "2-digit" })
    .formatToParts(new Date(Date.UTC(2026, 10, 24, 12)))
    .map((part) => names[part.type] ?? part.value).join("");
}
