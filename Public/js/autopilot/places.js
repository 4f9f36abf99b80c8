// Places the autopilot pages name: locations, their floors, rooms and desks, each fetched once per page and shared.
import { get } from "../lib/api.js";
import { getOnce } from "../lib/cache.js";

export const locations = () => getOnce("/locations");
export const floorsOf = (locationId) => getOnce(`/locations/${locationId}/floors`);
export const roomsOf = (locationId) => getOnce(`/locations/${locationId}/rooms`);
const desksOfRoom = (roomId) => getOnce(`/rooms/${roomId}/desks`);

export async function locationById(id) {
  return (await locations()).find((location) => location.id === id) ?? null;
}

/** Every desk of a location with its room, rooms in name order, desks in name order within a room. */
export async function desksOf(locationId) {
  const rooms = [...await roomsOf(locationId)].sort(byName);
  const perRoom = await Promise.all(rooms.map((room) => desksOfRoom(room.id)));
  const desks = rooms.flatMap((room, i) => [...perRoom[i]].sort(byName).map((desk) => ({ ...desk, room })));
  rememberDesks(desks);
  return desks;
}

const deskNames = new Map();

/**
 * A desk's name for display. With its location, all desks there are loaded once (lists name many of them);
 * without, an unknown desk is asked for alone.
 */
export async function deskName(id, locationId) {
  if (!id) return null;
  if (locationId && !deskNames.has(id)) await desksOf(locationId).catch(() => []);
  if (!deskNames.has(id)) deskNames.set(id, get(`/desks/${id}`).then((desk) => desk.name).catch(() => "a desk no longer listed"));
  return deskNames.get(id);
}

/** Remembers the names of desks loaded with a location, so lists need no extra requests. */
function rememberDesks(desks) {
  for (const desk of desks) if (!deskNames.has(desk.id)) deskNames.set(desk.id, Promise.resolve(desk.name));
}

export function byName(a, b) {
  return a.name.localeCompare(b.name, undefined, { numeric: true });
}
