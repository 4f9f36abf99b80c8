// Dashboard: the places a person may book, with each room's free desks on the chosen day kept live, and their
// own bookings of today and the coming days.
import { get, query } from "../lib/api.js";
import { dayFromAddress, lastOpenDay } from "../lib/calendar.js";
import { $, h, fill, errorText } from "../lib/dom.js";
import { formatDayWithWeekday, formatPlaceRange, localDate, today, zoneFor } from "../lib/format.js";
import { labelNativeDate } from "../lib/time-input.js";
import { dayProblem, earliestDay, markDay, showLoadError } from "../lib/load-errors.js";
import { subscribe, onReconnect } from "../lib/live.js";
import { runPage } from "../lib/session.js";
import { showSetupGuide, wantsSetupGuide } from "../dashboard/setup-guide.js";
import { debounce } from "../lib/timing.js";

/** The rooms' counts of the day shown, per location: `Map(locationId → Map(roomId → room))`. */
const counts = new Map();
/** Locations that do not open on the day shown (`open_weekdays`). */
const closedOn = new Set();
let shownDay = null;
/** Counts from a read for an earlier day must not land under a later one: only the newest read is shown. */
let countsRead = 0;

/** Why the day typed cannot be shown, or null: a real day from a year back up to the last one any location books. */
function dayInputProblem(day, locations, zone) {
  const latest = locations.map((place) => lastOpenDay(place.policy, place.timezone)).sort().pop() ?? null;
  return dayProblem(day, {
    earliest: earliestDay(today(zone)), latest,
    latestReason: latest && `Bookings are open up to ${formatDayWithWeekday(latest)}.`,
  });
}

/** No counts for a day that cannot be shown: numbers of another day under its date would mislead. */
function clearCounts(locations, reason) {
  countsRead++;
  for (const place of locations) {
    counts.delete(place.id);
    closedOn.delete(place.id);
    const box = document.querySelector(`[data-floors="${place.id}"]`);
    if (box) fill(box, h("p", { class: "muted", text: reason }));
    updateTotal(place.id);
  }
}

runPage(async ({ me, prefs }) => {
  const dayInput = $("#day");
  const [countries, locations] = await Promise.all([get("/countries"), get("/locations")]);
  const home = locations.find((l) => l.id === prefs.default_location_id) ?? locations[0];
  const zone = zoneFor(home?.timezone);
  shownDay = dayFromAddress() ?? today(zone);
  if (dayInputProblem(shownDay, locations, zone)) shownDay = today(zone);
  dayInput.value = shownDay;
  dayInput.min = earliestDay(today(zone));
  labelNativeDate(dayInput);
  dayInput.addEventListener("change", () => {
    const problem = dayInputProblem(dayInput.value, locations, zone);
    markDay(dayInput, problem);
    if (problem) {
      clearCounts(locations, "Choose a valid day to see free desks.");
      return;
    }
    shownDay = dayInput.value;
    history.replaceState(null, "", `/?date=${shownDay}`);
    loadCounts(locations);
  });

  renderPlaces(countries, locations, prefs.default_location_id, wantsSetupGuide(me));
  // The guide is extra: the page works without it.
  showSetupGuide(me, locations).catch((error) => console.error(error));
  await Promise.all([loadCounts(locations), loadUpcoming(locations)]);
  for (const place of locations) {
    subscribe(`location:${place.id}`, (message) => {
      if (message.type === "availability" && message.date === shownDay) updateRoom(place.id, message.room);
      if (message.type?.startsWith("booking.")) scheduleUpcoming(locations);
    });
  }
  subscribe("me", (message) => { if (message.type?.startsWith("booking.")) scheduleUpcoming(locations); });
  onReconnect(() => { loadCounts(locations); loadUpcoming(locations); });
});

function renderPlaces(countries, locations, homeId, setsUp) {
  const box = $("#places");
  box.removeAttribute("aria-busy");
  if (locations.length === 0) {
    fill(box, h("p", { class: "empty", text: setsUp
      ? "No locations yet. Follow the steps above to create the first one."
      : "No locations are open to you yet. Ask an administrator for access." }));
    return;
  }
  const sections = countries
    .map((country) => ({ country, places: locations.filter((l) => l.country_id === country.id) }))
    .filter((entry) => entry.places.length > 0);
  fill(box, sections.map(({ country, places }) => h("section", { class: "country", "aria-labelledby": `country-${country.id}` },
    h("h2", { id: `country-${country.id}`, text: country.name }),
    // Without a home location every location starts open; with one, the others start folded.
    places.map((place) => locationCard(place, !homeId || place.id === homeId)))));
}

function locationCard(place, open) {
  const details = h("details", { class: "card location", dataset: { locationId: place.id }, open },
    h("summary", {},
      h("span", { class: "location-name", text: place.name }),
      h("span", { class: "location-total muted", dataset: { total: place.id }, text: "" })),
    h("p", { class: "muted address", text: place.address }),
    h("div", { class: "floors", dataset: { floors: place.id } }, h("p", { class: "muted", text: "Loading rooms…" })));
  return details;
}

async function loadCounts(locations) {
  const read = ++countsRead;
  await Promise.all(locations.map(async (place) => {
    const box = document.querySelector(`[data-floors="${place.id}"]`);
    try {
      const [floors, day] = await Promise.all([
        get(`/locations/${place.id}/floors`),
        get(`/locations/${place.id}/availability${query({ date: shownDay })}`),
      ]);
      if (read !== countsRead) return;
      counts.set(place.id, new Map(day.rooms.map((room) => [room.room_id, room])));
      if (day.closed) closedOn.add(place.id); else closedOn.delete(place.id);
      renderFloors(box, place, floors, day.rooms);
    } catch (error) {
      if (read !== countsRead) return;
      // The counts of the day shown before would read as this day's: they go, and the reason takes their place.
      counts.delete(place.id);
      closedOn.delete(place.id);
      fill(box);
      showLoadError(box, error, { what: `Free desks at ${place.name}`, retry: () => loadCounts(locations) });
      updateTotal(place.id);
    }
  }));
}

function renderFloors(box, place, floors, rooms) {
  const byFloor = floors
    .slice().sort((a, b) => a.level - b.level)
    .map((floor) => ({ floor, rooms: rooms.filter((room) => room.floor_id === floor.id) }))
    .filter((entry) => entry.rooms.length > 0);
  if (byFloor.length === 0) {
    fill(box, h("p", { class: "empty", text: "No rooms here are open to you." }));
    return;
  }
  fill(box, byFloor.map(({ floor, rooms: list }) => h("div", { class: "floor" },
    h("h3", { text: floor.name }),
    h("ul", { class: "rooms plain-list" }, list.map((room) => h("li", { dataset: { roomId: room.room_id } },
      h("a", { href: `/rooms/${room.room_id}?date=${shownDay}`, class: "room-link" },
        h("span", { class: "room-name", text: room.name }),
        h("span", { class: "room-count" }))))))));
  for (const room of rooms) updateRoom(place.id, room);
  updateTotal(place.id);
}

/** Puts one room's counts into its row; called for the first load and for every live `availability` event. */
function updateRoom(locationId, room) {
  counts.get(locationId)?.set(room.room_id, room);
  const label = document.querySelector(`[data-room-id="${room.room_id}"] .room-count`);
  if (label) {
    const closed = closedOn.has(locationId);
    label.className = `room-count ${room.under_maintenance || closed ? "badge" : room.free > 0 ? "badge ok" : room.partly_free > 0 ? "badge warn" : "badge danger"}`;
    label.textContent = closed ? "closed" : room.under_maintenance ? "maintenance"
      : `${room.free} of ${room.desks} free${room.partly_free ? `, ${room.partly_free} partly` : ""}`;
  }
  updateTotal(locationId);
}

function updateTotal(locationId) {
  const rooms = [...(counts.get(locationId)?.values() ?? [])];
  const label = document.querySelector(`[data-total="${locationId}"]`);
  if (!label) return;
  if (!counts.has(locationId)) {
    label.textContent = "";
    return;
  }
  if (closedOn.has(locationId)) {
    label.textContent = `Closed on ${formatDayWithWeekday(shownDay)}`;
    return;
  }
  const free = rooms.reduce((sum, room) => sum + (room.under_maintenance ? 0 : room.free), 0);
  const desks = rooms.reduce((sum, room) => sum + room.desks, 0);
  label.textContent = `${free} of ${desks} desks free on ${formatDayWithWeekday(shownDay)}`;
}

/** Bookings change in bursts (a change is one event per topic); one read answers a burst. */
const scheduleUpcoming = debounce(loadUpcoming, 300);

async function loadUpcoming(locations) {
  const box = $("#upcoming");
  const zones = new Map(locations.map((l) => [l.id, l.timezone]));
  const names = new Map(locations.map((l) => [l.id, l.name]));
  try {
    const now = new Date();
    const page = await get(`/bookings${query({ mine: true, from: now.toISOString(), to: new Date(now.getTime() + 14 * 86400000).toISOString(), limit: 8 })}`);
    if (page.items.length === 0) {
      fill(box, h("p", { class: "empty", text: "Nothing booked for the next two weeks." }));
      return;
    }
    const zoneOf = (b) => zoneFor(zones.get(b.location_id));
    fill(box, h("ul", { class: "plain-list upcoming" }, page.items.map((booking) => {
      const zone = zoneOf(booking);
      const active = new Date(booking.start) <= now;
      return h("li", { dataset: { bookingId: booking.id } },
        h("div", { class: "upcoming-when" },
          active ? h("span", { class: "badge ok", text: "Now" }) : null,
          " ", formatPlaceRange(booking.start, booking.end, zone)),
        h("div", {},
          h("a", { href: `/rooms/${booking.room_id}?date=${localDate(booking.start, zones.get(booking.location_id))}`, text: `Desk ${booking.desk_name ?? ""}` }),
          h("span", { class: "muted", text: ` · ${names.get(booking.location_id) ?? ""}` })));
    })));
  } catch (error) {
    fill(box, h("p", { class: "field-error", text: errorText(error) }));
  }
}
