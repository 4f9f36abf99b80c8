// Admin: the places a person manages as a tree, country → location → floor → room, with the changes their role
// allows: superusers everything, location managers floors and rooms of their locations, room managers their rooms.
import { get, post, patch, del } from "../../lib/api.js";
import { $, h, fill, toast, errorText } from "../../lib/dom.js";
import { today } from "../../lib/format.js";
import { sameId } from "../../lib/ids.js";
import { runPage } from "../../lib/session.js";
import { plural } from "../../lib/words.js";
import {
  renderAdminNav, showPageNotice, isSuperuser, managesLocation, managesRoom, openFormDialog, confirmAction, floorFields,
  roomFields,
} from "../../admin/common.js";

let me = null;
/** Ids of tree items the person folded, kept across reloads. */
const folded = new Set();

runPage(async (session) => {
  me = session.me;
  renderAdminNav(me, "places");
  if (!me.manages) {
    showPageNotice("You do not manage any place. An administrator can make you the manager of a location or room.");
    return;
  }
  renderPageActions();
  await reload();
});

// MARK: loading

/**
 * The tree the person may manage: `[{country, locations: [{location, floors: [{floor, rooms: [{room, desks}]}]}]}]`.
 * Superusers and location managers see whole locations; room managers only the floors and rooms they manage.
 */
async function loadTree() {
  const [countries, visible] = await Promise.all([get("/countries"), get("/locations")]);
  const locations = visible.filter((l) => managesLocation(me, l.id));
  const entries = await Promise.all(locations.map((l) => loadLocation(l)));
  entries.push(...await loadManagedRooms(locations));
  return countries
    .map((country) => ({ country, locations: entries.filter((e) => sameId(e.location.country_id, country.id)) }))
    .filter((c) => isSuperuser(me) || c.locations.length > 0);
}

async function loadLocation(location, onlyRooms = null) {
  const [floors, rooms, deskCounts] = await Promise.all([
    get(`/locations/${location.id}/floors`), get(`/locations/${location.id}/rooms`), loadDeskCounts(location),
  ]);
  const shown = onlyRooms ? rooms.filter((r) => onlyRooms.some((id) => sameId(id, r.id))) : rooms;
  return {
    location,
    floors: floors
      .map((floor) => ({
        floor,
        rooms: shown.filter((r) => sameId(r.floor_id, floor.id)).map((room) => ({ room, desks: deskCounts.get(room.id) })),
      }))
      .filter((f) => !onlyRooms || f.rooms.length > 0),
  };
}

/** Desks per room id, from the location's availability of today; empty when that cannot be read. */
async function loadDeskCounts(location) {
  try {
    const day = await get(`/locations/${location.id}/availability?date=${today(location.timezone)}`);
    return new Map(day.rooms.map((r) => [r.room_id, r.desks]));
  } catch {
    return new Map();
  }
}

/** Rooms managed outside the locations the person manages, with their locations and floors. */
async function loadManagedRooms(managedLocations) {
  const rooms = (await Promise.all(me.managed_room_ids.map((id) => get(`/rooms/${id}`).catch(() => null))))
    .filter((room) => room && !managedLocations.some((l) => sameId(l.id, room.location_id)));
  const locationIds = [...new Set(rooms.map((r) => r.location_id))];
  return Promise.all(locationIds.map(async (id) => loadLocation(await get(`/locations/${id}`),
    rooms.filter((r) => sameId(r.location_id, id)).map((r) => r.id))));
}

/** Reloads the tree; `focusId` names the item to focus afterwards ("" for the first item). */
async function reload(focusId = null) {
  const status = $("#places-status");
  const tree = $("#places-tree");
  try {
    const countries = await loadTree();
    renderTree(tree, countries);
    status.textContent = countries.length ? "" : "There are no places yet. Start with a country.";
    status.hidden = countries.length > 0;
    tree.hidden = countries.length === 0;
  } catch (error) {
    status.textContent = `The places could not load: ${errorText(error)}`;
    status.hidden = false;
  }
  $("#admin-content").removeAttribute("aria-busy");
  if (focusId !== null) focusItem(focusId);
}

function focusItem(id) {
  const item = $(id ? `#places-tree li[data-id="${CSS.escape(id)}"]` : "#places-tree li");
  const row = item?.querySelector(".tree-row");
  (row?.querySelector("a.tree-name") ?? row?.querySelector("button") ?? $("#main")).focus();
}

// MARK: rendering

function renderTree(tree, countries) {
  fill(tree, countries.map(countryItem));
}

function sum(items, count) {
  return items.reduce((total, item) => total + count(item), 0);
}

function countryItem({ country, locations }) {
  const floors = sum(locations, (l) => l.floors.length);
  return treeItem({
    kind: "country", id: country.id, kindLabel: "Country", name: `${country.name} (${country.code})`,
    counts: [plural(locations.length, "location"), floors > 0 && plural(floors, "floor")],
    actions: isSuperuser(me) && [
      action("Add location", `Add a location in ${country.name}`, () => createLocation(country.id)),
      action("Edit", `Edit ${country.name}`, () => editCountry(country)),
      action("Delete", `Delete ${country.name}`, () => deleteCountry(country), "danger"),
    ],
    children: locations.map(locationItem),
    empty: "No locations yet.",
  });
}

function locationItem({ location, floors }) {
  const manages = managesLocation(me, location.id);
  const rooms = floors.flatMap((f) => f.rooms);
  return treeItem({
    kind: "location", id: location.id, kindLabel: "Location", name: location.name,
    href: manages ? `/admin/locations/${location.id}` : null,
    detail: location.timezone.replaceAll("_", " "),
    counts: [plural(floors.length, "floor"), plural(rooms.length, "room"), deskCount(rooms)],
    actions: manages && [
      action("Add floor", `Add a floor to ${location.name}`, () => createFloor(location)),
      isSuperuser(me) && action("Delete", `Delete ${location.name}`, () => deleteLocation(location), "danger"),
    ],
    children: floors.map((f) => floorItem(f, location)),
    empty: "No floors yet.",
  });
}

function floorItem({ floor, rooms }, location) {
  const manages = managesLocation(me, location.id);
  return treeItem({
    kind: "floor", id: floor.id, kindLabel: "Floor", name: floor.name, detail: `Level ${floor.level}`,
    counts: [plural(rooms.length, "room"), deskCount(rooms)],
    actions: manages && [
      action("Add room", `Add a room on ${floor.name}, ${location.name}`, () => createRoom(floor)),
      action("Edit", `Edit ${floor.name}, ${location.name}`, () => editFloor(floor)),
      action("Delete", `Delete ${floor.name}, ${location.name}`, () => deleteFloor(floor), "danger"),
    ],
    children: rooms.map((r) => roomItem(r, location)),
    empty: "No rooms yet.",
  });
}

function roomItem({ room, desks }, location) {
  return treeItem({
    kind: "room", id: room.id, kindLabel: "Room", name: room.name,
    href: managesRoom(me, room) ? `/admin/rooms/${room.id}` : null,
    counts: [desks !== undefined && plural(desks, "desk")],
    badges: room.under_maintenance && h("span", { class: "badge warn", text: "Under maintenance" }),
    actions: managesLocation(me, location.id) && [
      action("Delete", `Delete ${room.name}`, () => deleteRoom(room), "danger"),
    ],
  });
}

function deskCount(rooms) {
  const known = rooms.filter((r) => r.desks !== undefined);
  return known.length === rooms.length && plural(sum(known, (r) => r.desks), "desk");
}

function action(label, ariaLabel, run, kind = "") {
  return h("button", { type: "button", class: `button small ${kind}`.trim(), "aria-label": ariaLabel, text: label, onClick: run });
}

/** One row of the tree, with a fold button when it has children. */
function treeItem({ kind, id, kindLabel, name, href, detail, counts = [], badges, actions, children, empty }) {
  const childListId = `tree-children-${id}`;
  const hasChildren = children !== undefined;
  const open = !folded.has(id);
  const toggle = hasChildren && h("button", {
    type: "button", class: "tree-toggle", "aria-expanded": String(open), "aria-controls": childListId,
    "aria-label": `Contents of ${name}`, onClick: (event) => toggleItem(event.currentTarget, id),
  });
  const row = h("div", { class: "tree-row" },
    toggle || h("span", { class: "tree-toggle-space", "aria-hidden": "true" }),
    h("span", { class: "tree-kind", text: kindLabel }),
    href ? h("a", { class: "tree-name", href, text: name }) : h("span", { class: "tree-name", text: name }),
    detail && h("span", { class: "tree-detail muted", text: detail }),
    h("span", { class: "tree-counts muted", text: counts.filter(Boolean).join(" · ") }),
    badges,
    actions && h("span", { class: "tree-actions button-row" }, actions));
  const list = hasChildren && h("ul", { id: childListId, class: "tree-children", hidden: !open },
    children.length ? children : h("li", { class: "empty tree-empty", text: empty }));
  return h("li", { class: `tree-item tree-${kind}`, dataset: { kind, id } }, row, list);
}

function toggleItem(button, id) {
  const open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", String(open));
  document.getElementById(button.getAttribute("aria-controls")).hidden = !open;
  if (open) folded.delete(id); else folded.add(id);
}

// MARK: changes

function renderPageActions() {
  if (!isSuperuser(me)) return;
  fill($("#places-actions"),
    h("button", { type: "button", class: "button", text: "Add country", onClick: createCountry }),
    h("button", { type: "button", class: "button primary", text: "Add location", onClick: () => createLocation(null) }));
}

/**
 * Waits for a dialog's change, then reloads the tree and puts the focus on the changed item (or, after a deletion,
 * on `focusId`, the item that held the deleted one).
 */
async function change(dialog, message, focusId = null) {
  const result = await dialog;
  if (!result) return;
  toast(typeof message === "function" ? message(result) : message);
  await reload(result.id ?? focusId);
}

const countryFields = (country = {}) => [
  { name: "name", label: "Name", value: country.name, required: true },
  { name: "code", label: "ISO code", value: country.code, required: true, hint: "Two letters, such as DE or GB" },
];

function createCountry() {
  change(openFormDialog({
    title: "Add a country", fields: countryFields(), submitLabel: "Add country",
    onSubmit: (values) => post("/countries", values),
  }), (c) => `${c.name} added.`);
}

function editCountry(country) {
  change(openFormDialog({
    title: `Edit ${country.name}`, fields: countryFields(country),
    onSubmit: (values) => patch(`/countries/${country.id}`, values),
  }), (c) => `${c.name} saved.`);
}

function deleteCountry(country) {
  change(confirmAction({
    title: `Delete ${country.name}?`, message: "Only a country without locations can be deleted.",
    action: () => del(`/countries/${country.id}`),
  }), `${country.name} deleted.`, "");
}

async function createLocation(countryId) {
  const countries = await get("/countries");
  if (!countries.length) {
    toast("Add a country first.", "error");
    return;
  }
  change(openFormDialog({
    title: "Add a location",
    fields: [
      { name: "name", label: "Name", required: true },
      { name: "address", label: "Address", type: "textarea" },
      { name: "timezone", label: "Time zone", type: "timezone", value: Intl.DateTimeFormat().resolvedOptions().timeZone,
        hint: "Bookings, opening hours and days follow this zone." },
      { name: "country_id", label: "Country", type: "select", value: countryId,
        options: countries.map((c) => ({ value: c.id, label: c.name })) },
    ],
    submitLabel: "Add location",
    onSubmit: (values) => post("/locations", values),
  }), (l) => `${l.name} added. Open it to set its policy, managers and groups.`);
}

function deleteLocation(location) {
  change(confirmAction({
    title: `Delete ${location.name}?`,
    message: "Only a location without floors can be deleted. Its groups are deleted with it.",
    action: () => del(`/locations/${location.id}`),
  }), `${location.name} deleted.`, location.country_id);
}

function createFloor(location) {
  change(openFormDialog({
    title: `Add a floor to ${location.name}`, fields: floorFields(), submitLabel: "Add floor",
    onSubmit: (values) => post(`/locations/${location.id}/floors`, values),
  }), (f) => `${f.name} added.`);
}

function editFloor(floor) {
  change(openFormDialog({
    title: `Edit ${floor.name}`, fields: floorFields(floor),
    onSubmit: (values) => patch(`/floors/${floor.id}`, values),
  }), (f) => `${f.name} saved.`);
}

function deleteFloor(floor) {
  change(confirmAction({
    title: `Delete ${floor.name}?`, message: "Only a floor without rooms can be deleted.",
    action: () => del(`/floors/${floor.id}`),
  }), `${floor.name} deleted.`, floor.location_id);
}

function createRoom(floor) {
  change(openFormDialog({
    title: `Add a room on ${floor.name}`,
    fields: roomFields(),
    submitLabel: "Add room",
    onSubmit: (values) => post(`/floors/${floor.id}/rooms`, values),
  }), (r) => `${r.name} added. Open it to upload a floor map and place desks.`);
}

function deleteRoom(room) {
  change(confirmAction({
    title: `Delete ${room.name}?`, message: "Only a room without desks can be deleted.",
    action: () => del(`/rooms/${room.id}`),
  }), `${room.name} deleted.`, room.floor_id);
}
