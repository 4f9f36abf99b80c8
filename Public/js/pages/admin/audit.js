// Admin: the audit log, newest first. Superusers read all of it, location managers the entries of their locations;
// the filters and the "Load more" cursor are the API's own.
import { get, query } from "../../lib/api.js";
import { $, h, fill, showErrors, clearErrors } from "../../lib/dom.js";
import { getOnce } from "../../lib/cache.js";
import { withFieldErrors } from "../../lib/errors.js";
import { addDays, formatDateTime, ownZone, placeTimeLabel, zonedInstant, zoneLabel } from "../../lib/format.js";
import { sameId } from "../../lib/ids.js";
import { userById, usersById } from "../../lib/people.js";
import { personFilter } from "../../lib/person-picker.js";
import { runPage } from "../../lib/session.js";
import { labelNativeDate } from "../../lib/time-input.js";
import { renderAdminNav, isSuperuser, managesLocation } from "../../admin/common.js";

const pageSize = 50;

/** Suggestions for the action filter: each area matches all its actions. */
const actionSuggestions = [
  "auth", "autopilot", "booking", "calendar_feed", "country", "desk", "floor", "group", "hold", "location", "request",
  "room", "round", "token", "user",
  "booking.created", "booking.changed", "booking.cancelled", "booking.released", "booking.checked_in",
  "group.created", "group.member_added", "group.member_removed", "location.policy_changed", "location.gate_changed",
  "location.manager_added", "location.manager_removed", "room.maintenance_on", "room.maintenance_off",
  "room.manager_added", "room.gate_changed", "desk.permanent_assigned", "user.created", "user.updated", "auth.login_failed",
];

const targetKinds = {
  user: "Person", location: "Location", country: "Country", floor: "Floor", room: "Room", desk: "Desk", group: "Group",
  booking: "Booking", request: "Request", round: "Round", autopilot_rule: "Autopilot rule", access_token: "Access token",
};

let me = null;
let locations = [];
let countries = [];
let filters = {};
let cursor = null;
/** The person filter, made once the filters are read from the address. */
let person = null;

runPage(async (session) => {
  me = session.me;
  renderAdminNav(me, "audit");
  [locations, countries] = await Promise.all([get("/locations"), get("/countries")]);
  filters = filtersFromAddress();
  await renderFilters();
  $("#audit-more").addEventListener("click", () => loadEntries(true));
  await loadEntries(false);
  $("#admin-content").removeAttribute("aria-busy");
});

// MARK: filters

/** The filters in the page address, so a filtered log can be linked to (the location page does). */
function filtersFromAddress() {
  const params = new URLSearchParams(location.search);
  const values = {};
  for (const key of ["action", "user_id", "location_id", "from", "to"]) {
    if (params.get(key)) values[key] = params.get(key);
  }
  return values;
}

async function renderFilters() {
  const form = $("#audit-filters");
  fill($("#audit-actions"), actionSuggestions.map((a) => h("option", { value: a })));
  form.elements.action.value = filters.action ?? "";
  form.elements.from.value = filters.from ?? "";
  form.elements.to.value = filters.to ?? "";
  // The browser draws these days in its own format: say which.
  for (const input of [form.elements.from, form.elements.to]) labelNativeDate(input);
  const choices = locations.filter((l) => managesLocation(me, l.id));
  fill(form.elements.location_id,
    h("option", { value: "", text: isSuperuser(me) ? "All locations" : "All my locations" }),
    choices.map((l) => h("option", { value: l.id, text: l.name, selected: sameId(l.id, filters.location_id) })));
  person = personFilter({ label: "Person", chosen: await userById(filters.user_id) });
  $("#audit-person").append(person.element);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = readFilters(form);
    if (!values) return;
    filters = values;
    history.replaceState(null, "", `/admin/audit${query(filters)}`);
    loadEntries(false);
  });
  $("#audit-clear").addEventListener("click", () => {
    form.reset();
    form.elements.location_id.value = "";
    person.set(null);
    form.requestSubmit();
  });
}

/** The form's filters, or null (with the problem shown) when they do not make sense. */
function readFilters(form) {
  clearErrors(form);
  const values = {
    action: form.elements.action.value.trim(), user_id: person.chosen()?.id, location_id: form.elements.location_id.value,
    from: form.elements.from.value, to: form.elements.to.value,
  };
  if (values.from && values.to && values.to < values.from) {
    showErrors(form, { fields: [{ field: "to", message: "The end comes before the start." }] });
    return null;
  }
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v));
}

/** Days of the filter are whole days in the zone entries are shown in: the person's own. */
function apiFilters() {
  const zone = ownZone();
  return {
    action: filters.action, user_id: filters.user_id, location_id: filters.location_id, limit: pageSize,
    from: filters.from && zonedInstant(filters.from, 0, zone).toISOString(),
    to: filters.to && zonedInstant(addDays(filters.to, 1), 0, zone).toISOString(),
  };
}

// MARK: entries

async function loadEntries(more) {
  const status = $("#audit-status");
  const form = $("#audit-filters");
  const button = $("#audit-more");
  const body = $("#audit-table tbody");
  button.disabled = true;
  let page;
  try {
    page = await get(`/audit${query({ ...apiFilters(), cursor: more ? cursor : null })}`);
  } catch (error) {
    if (error.status === 403 && !more && Object.keys(filters).length === 0) {
      status.textContent = "Only administrators and location managers can read the audit log.";
      form.hidden = true;
    } else {
      showErrors(form, withFieldErrors(error));
      status.textContent = "The audit log could not load with these filters.";
    }
    button.disabled = false;
    return;
  }
  const names = await resolveNames(page.items);
  const rows = page.items.map((entry) => entryRow(entry, names));
  if (more) body.append(...rows); else fill(body, rows);
  cursor = page.next_cursor;
  button.hidden = !cursor;
  button.disabled = false;
  const shown = body.rows.length;
  status.textContent = shown === 0
    ? "No entries match these filters."
    : `${shown} ${shown === 1 ? "entry" : "entries"} shown${cursor ? "; there are more" : ""}.`;
  if (more && rows[0]) rows[0].querySelector("td").focus();
}

const locationById = (id) => id && locations.find((l) => sameId(l.id, id));

/** What `path` names, read once per page; null for what the viewer may not see (or what was deleted). */
const lookup = (path) => getOnce(path).catch(() => null);

/** Names for the ids in a page of entries, as `Map("kind:ID" → name)`; what cannot be read stays unnamed. */
async function resolveNames(entries) {
  const names = new Map();
  const userIds = [];
  const pending = [];
  const want = (kind, id, locationId) => {
    if (!id) return;
    const key = `${kind}:${id.toUpperCase()}`;
    if (kind === "user") { userIds.push(id); return; }
    pending.push(nameOf(kind, id, locationId).then((name) => { if (name) names.set(key, name); }));
  };
  for (const entry of entries) {
    want("user", entry.actor_id);
    want(entry.target_type, entry.target_id, entry.location_id);
    for (const [key, value] of Object.entries(entry.details)) {
      if (key.endsWith("user_id")) want("user", value);
      if (key === "desk_id") want("desk", value);
      if (key === "group_ids") for (const id of value.split(",")) want("group", id, entry.location_id);
    }
  }
  const [users] = await Promise.all([usersById(userIds), ...pending]);
  for (const [id, user] of users) names.set(`user:${id}`, user.display_name);
  return names;
}

async function nameOf(kind, id, locationId) {
  switch (kind) {
    case "location": return locationById(id)?.name;
    case "country": return countries.find((c) => sameId(c.id, id))?.name;
    case "floor": return (await lookup(`/floors/${id}`))?.name;
    case "room": return (await lookup(`/rooms/${id}`))?.name;
    case "desk": return (await lookup(`/desks/${id}`))?.name;
    case "group": {
      if (!locationById(locationId)) return null; // a deleted location took its groups with it
      const groups = await lookup(`/locations/${locationId}/groups`);
      return groups?.find((g) => sameId(g.id, id))?.name;
    }
    default: return null;
  }
}

const shortId = (id) => `#${id.slice(0, 8).toLowerCase()}`;
const named = (names, kind, id) => names.get(`${kind}:${id.toUpperCase()}`) ?? shortId(id);

/**
 * An entry's row. When it happened belongs to no place, so it is shown in the person's own zone, like every other row;
 * times in its details (a booking's start and end) belong to its location and are shown in the location's zone.
 */
function entryRow(entry, names) {
  const place = locationById(entry.location_id);
  const own = ownZone();
  const zone = place?.timezone ?? own;
  return h("tr", { dataset: { id: entry.id } },
    h("td", { dataset: { label: "When" }, class: "audit-when", tabindex: "-1" },
      h("time", { datetime: entry.at, text: formatDateTime(entry.at, own) }), " ",
      h("span", { class: "muted", text: zoneLabel(own, entry.at) })),
    h("td", { dataset: { label: "Who" } },
      entry.actor_id ? named(names, "user", entry.actor_id) : h("span", { class: "muted", text: "System" }),
      entry.ip && h("span", { class: "muted audit-ip", text: entry.ip })),
    h("td", { dataset: { label: "Action" } }, h("code", { class: "audit-action", text: entry.action })),
    h("td", { dataset: { label: "What" } }, targetCell(entry, names)),
    h("td", { dataset: { label: "Location" } }, place ? place.name : entry.location_id ? shortId(entry.location_id) : "—"),
    h("td", { dataset: { label: "Details" } }, detailsList(entry.details, names, zone)));
}

function targetCell(entry, names) {
  const kind = targetKinds[entry.target_type] ?? entry.target_type;
  if (!entry.target_id) return kind;
  const name = named(names, entry.target_type, entry.target_id);
  const href = entry.target_type === "location" && managesLocation(me, entry.target_id) ? `/admin/locations/${entry.target_id}`
    : entry.target_type === "room" && names.has(`room:${entry.target_id.toUpperCase()}`) ? `/admin/rooms/${entry.target_id}`
    : null;
  return [h("span", { class: "muted", text: `${kind} ` }), href ? h("a", { href, text: name }) : name];
}

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A readable label for a details key: `previous_user_id` → "Previous person". */
function detailLabel(key) {
  const words = key.replace(/_ids?$/, (suffix) => (suffix === "_ids" ? "s" : "")).replace(/^user(s?)$/, "person$1")
    .replace(/_user$/, "_person").replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function detailValue(key, value, names, zone) {
  if (value === "") return h("span", { class: "muted", text: "none" });
  if (key.endsWith("user_id")) return named(names, "user", value);
  if (key === "desk_id") return named(names, "desk", value);
  if (key === "group_ids") return value.split(",").map((id) => named(names, "group", id)).join(", ");
  if (value === "true" || value === "false") return value === "true" ? "yes" : "no";
  if (isoInstant.test(value)) {
    const label = placeTimeLabel(zone, value);
    return `${formatDateTime(value, zone)}${label ? ` ${label}` : ""}`;
  }
  if (value.startsWith("{")) {
    try {
      return detailsList(Object.fromEntries(Object.entries(JSON.parse(value)).map(([k, v]) => [k, String(v)])), names, zone);
    } catch { /* shown as written */ }
  }
  return value;
}

/** Details as a small definition list (JSON inside a value, such as a policy change, as a nested one). */
function detailsList(details, names, zone) {
  const keys = Object.keys(details).sort();
  if (keys.length === 0) return h("span", { class: "muted", text: "—" });
  return h("dl", { class: "audit-details" }, keys.map((key) => [
    h("dt", { text: detailLabel(key) }), h("dd", {}, detailValue(key, details[key], names, zone)),
  ]));
}
