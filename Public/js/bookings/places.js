// The places bookings refer to: names, time zones and booking policies. Locations come as one list; the rooms of a
// location are read once, when a booking there is first shown.
import { get } from "../lib/api.js";
import { getOnce } from "../lib/cache.js";
import { zoneFor } from "../lib/format.js";

const locations = new Map();
const rooms = new Map();

export async function loadLocations() {
  for (const place of await get("/locations")) locations.set(place.id, place);
  return [...locations.values()];
}

/** Reads the rooms of every location these bookings are in that has not been read yet. */
export async function loadRoomsFor(bookings) {
  const wanted = new Set(bookings.map((b) => b.location_id).filter((id) => id && locations.has(id)));
  await Promise.all([...wanted].map(async (id) => {
    // Names are a nicety: a failed read leaves them out, and the next call tries again.
    for (const room of await getOnce(`/locations/${id}/rooms`).catch(() => [])) rooms.set(room.id, room);
  }));
}

export function locationOf(booking) {
  return locations.get(booking.location_id) ?? null;
}

export function roomName(booking) {
  return rooms.get(booking.room_id)?.name ?? "";
}

/** The zone the booking's location keeps its hours in (when the location is unknown, the zone times are shown in). */
export function placeZone(booking) {
  return locationOf(booking)?.timezone ?? zoneFor(null);
}

/** The zone to show the booking's times in: the person's choice, else the location's. */
export function shownZone(booking) {
  return zoneFor(locationOf(booking)?.timezone);
}

export function policyOf(booking) {
  return locationOf(booking)?.policy ?? null;
}

/** "Studio · Berlin", leaving out what is unknown. */
export function whereText(booking) {
  return [roomName(booking), locationOf(booking)?.name].filter(Boolean).join(" · ");
}
