// The room page: the floor plan with desks coloured for a chosen day and time, live, and a dialog to book one.
import { get } from "../lib/api.js";
import { $, fill, h, pageId, toast } from "../lib/dom.js";
import { dayFromAddress, endMinutes, lastOpenDay, weekStart } from "../lib/calendar.js";
import {
  addDays, formatDateTime, formatDayWithWeekday, localDate, localMinutes, placeTimeLabel, zoneFor, zonedInstant, zoneText,
} from "../lib/format.js";
import { labelNativeDate } from "../lib/time-input.js";
import { onReconnect, subscribe } from "../lib/live.js";
import { runPage } from "../lib/session.js";
import { debounce } from "../lib/timing.js";
import { RoomAvailability } from "../room/availability.js";
import { createBookingDialog } from "../room/booking-dialog.js";
import { clampWindow, earliestStart, openingHours } from "../room/day-slots.js";
import { closedDayReason, recentBookings, startingView, usualWindow } from "../room/usual-hours.js";
import { clearLoadError, dayProblem, earliestDay, markDay, showLoadError } from "../lib/load-errors.js";
import { createDeskList } from "../room/desk-list.js";
import { createDeskMap } from "../room/desk-map.js";
import { STATES, deskState, describeDesk, isBookable, stateLabel, timeSpan } from "../room/desk-state.js";
import { fillTimeSelects, readTimeSelects } from "../room/time-selects.js";

/** Live events come in bursts; one exact reload follows a burst. */
const reloadDelayMs = 400;

/** The API hides rooms behind gates the viewer does not pass as 404, so one message covers both. */
function showNoAccess() {
  $("#booking-dialog").close();
  $("#room-page").hidden = true;
  const box = $("#room-message");
  fill(box,
    h("p", { text: "You don't have access to this room, or it doesn't exist. Rooms can be limited to certain groups — ask the location's manager if you need access." }),
    h("p", {}, h("a", { href: "/", text: "Back to all desks" })));
  box.hidden = false;
}

async function loadPlace(roomId) {
  const room = await get(`/rooms/${roomId}`);
  const [place, floor, desks] = await Promise.all([
    get(`/locations/${room.location_id}`), get(`/floors/${room.floor_id}`), get(`/rooms/${roomId}/desks`),
  ]);
  const country = await get(`/countries/${place.country_id}`).catch(() => null);
  return { room, place, floor, country, desks: desks.items ?? desks };
}

function renderBreadcrumbs({ room, place, floor, country }) {
  const crumbs = [
    country && h("a", { href: "/", text: country.name }),
    h("a", { href: "/", text: place.name }),
    h("span", { text: floor.name }),
    h("span", { "aria-current": "page", text: room.name }),
  ].filter(Boolean);
  fill($("#room-breadcrumbs"), crumbs.map((crumb) => h("li", {}, crumb)));
}

function renderLegend() {
  fill($("#room-legend"), STATES.map(({ key, label }) =>
    h("li", { class: `state-${key}`, dataset: { state: key } }, h("span", { class: "swatch", "aria-hidden": "true" }), label)));
}

runPage(async ({ prefs }) => {
  const roomId = pageId();
  let facts;
  try {
    facts = await loadPlace(roomId);
  } catch (error) {
    if (error.status === 404 || error.status === 400) return showNoAccess();
    throw error;
  }
  const { room, place, desks } = facts;
  const policy = place.policy;
  const zone = place.timezone;
  const viewZone = zoneFor(zone);
  const availability = new RoomAvailability(roomId);

  document.title = `${room.name} · DeskPilot`;
  $("#room-title").textContent = room.name;
  const description = $("#room-description");
  description.textContent = room.description;
  description.hidden = !room.description;
  renderBreadcrumbs(facts);
  renderLegend();

  const dateInput = $("#room-date");
  const fromSelect = $("#room-from");
  const untilSelect = $("#room-until");

  // What the page shows: a local day of the location and a window of it in local minutes, starting at the person's
  // usual hours here on the first day that still has them.
  const usual = usualWindow(await recentBookings(), place.id, zone);
  const view = startingView({
    addressDay: dayFromAddress(), usual, policy, zone, now: new Date(), durationMinutes: prefs.default_duration_minutes,
  });

  const windowStart = () => zonedInstant(view.day, view.window.from, zone);
  const windowEnd = () => zonedInstant(view.day, view.window.until, zone);

  const deskMap = createDeskMap({
    canvas: $("#desk-map"), zoomIn: $("#map-zoom-in"), zoomOut: $("#map-zoom-out"), zoomLabel: $("#map-zoom-level"),
  }, room, openDesk);
  const deskList = createDeskList($("#desk-list"), openDesk);
  deskMap.setDesks(desks);
  deskList.setDesks(desks);

  const scheduleReload = debounce(async () => {
    try {
      await loadAvailability();
      render({ announce: true });
    } catch (error) {
      if (error.status === 404) showNoAccess();
      // Live changes may be missing from what the map shows until a read succeeds again.
      else showLoadError($("#room-page"), error, { what: "The latest bookings", retry: scheduleReload });
    }
  }, reloadDelayMs);

  const dialog = createBookingDialog({
    availability, policy, zone, viewZone,
    day: () => view.day,
    setDay,
    reload: scheduleReload,
    onBooked: (booking) => {
      availability.apply({ type: "booking.created", booking, mine: true });
      view.day = localDate(booking.start, zone);
      view.window = { from: localMinutes(booking.start, zone), until: endMinutes(booking.end, zone) };
      showDay();
      scheduleReload();
    },
  });

  const states = new Map();

  /** Colours every desk for the window; `announce` reads out desks whose state changed (live updates). */
  function render({ announce = false } = {}) {
    const from = windowStart(), to = windowEnd();
    const windowText = timeSpan(from, to, viewZone);
    const changed = [];
    let free = 0;
    for (const desk of desks) {
      const result = deskState(desk, availability, from, to);
      const label = describeDesk(desk, result, availability, windowText, viewZone);
      deskMap.show(desk.id, result, label);
      deskList.show(desk.id, result, label);
      if (result.state === "free") free++;
      if (states.has(desk.id) && states.get(desk.id) !== result.state) changed.push(`${desk.name} is now ${stateLabel(result.state).toLowerCase()}`);
      states.set(desk.id, result.state);
    }
    // While the day typed cannot be shown, the desks still show the day before: the summary says so.
    const summary = view.typedDayProblem
      ? `Choose a day to see its free desks. Still shown: ${formatDayWithWeekday(view.day)}, ${windowText}.`
      : `${free} of ${desks.length} desks free on ${formatDayWithWeekday(view.day)}, ${windowText}`;
    $("#room-summary").textContent = summary;
    $("#desk-table-caption").textContent = `Desks on ${formatDayWithWeekday(view.day)}, ${windowText}`;
    if (announce && changed.length) $("#room-status").textContent = `${changed.join(". ")}.`;
    renderMaintenance();
    dialog.refresh();
  }

  /** "Under maintenance until Fri 2026-03-27 18:00: new carpet", or the scheduled period, in the room's zone. */
  function renderMaintenance() {
    const notice = $("#room-maintenance");
    const period = availability.maintenance;
    const label = period ? placeTimeLabel(zone, period.from) : "";
    const at = (instant) => `${formatDateTime(instant, zone)}${label ? ` ${label}` : ""}`;
    let text = "";
    if (availability.underMaintenance) {
      text = period?.until ? `Under maintenance until ${at(period.until)}: ${period.reason}. Its desks cannot be booked until then.`
        : `Under maintenance: ${period?.reason ?? availability.maintenanceReason ?? ""}. Its desks cannot be booked until it ends.`;
    } else if (period) {
      text = `Maintenance scheduled from ${at(period.from)}${period.until ? ` until ${at(period.until)}` : ""}: ${period.reason}. `
        + "Desks cannot be booked during that time.";
    }
    notice.hidden = !text;
    notice.classList.toggle("warn", Boolean(text));
    notice.textContent = text;
  }

  /** The day's controls: date limits, time options for the window, and what to know about the day. */
  function renderControls() {
    const now = availability.now();
    const today = localDate(now, zone);
    const last = lastOpenDay(policy, zone, now);
    dateInput.min = today;
    dateInput.max = last;
    if (!view.typedDayProblem) dateInput.value = view.day;
    labelNativeDate(dateInput);
    const earliest = earliestStart(view.day, policy, zone, now);
    fillTimeSelects(fromSelect, untilSelect, view.window, { day: view.day, policy, zone, viewZone, earliest });
    const notes = [`Times in ${zoneText(viewZone, windowStart())}.`, `Bookings are open up to ${formatDayWithWeekday(last)}.`];
    const closed = closedDayReason(view.day, policy, place.name);
    if (closed) notes.push(closed);
    else if (view.day < today) notes.push("This day has passed.");
    else if (view.day === today && earliest >= openingHours(policy).close) notes.push("Today's bookable hours are over.");
    else if (view.day > last) notes.push("This day is not open for booking yet.");
    $("#room-when-hint").textContent = notes.join(" ");
  }

  /** The range the page keeps: the selected day's week, which the dialog's week view needs too. */
  function weekRange(day) {
    const monday = weekStart(day);
    return [zonedInstant(monday, 0, zone), zonedInstant(addDays(monday, 7), 0, zone)];
  }

  async function loadAvailability() {
    await availability.load(...weekRange(view.day));
    clearLoadError($("#room-page"));
  }

  function showDay() {
    view.window = clampWindow(view.window, policy, earliestStart(view.day, policy, zone, availability.now()));
    history.replaceState(null, "", `${location.pathname}?date=${view.day}`);
    renderControls();
    render();
  }

  async function setDay(day) {
    const previous = view.day;
    view.typedDayProblem = null;
    markDay(dateInput, null);
    view.day = day;
    const [from, to] = weekRange(day);
    if (!availability.covers(from, to)) {
      $("#room-page").setAttribute("aria-busy", "true");
      try {
        await loadAvailability();
      } catch (error) {
        // Without that week's bookings every desk would look free: stay on the day that is known.
        view.day = previous;
        showLoadError($("#room-page"), error, { what: `The desks on ${formatDayWithWeekday(day)}`, retry: () => setDay(day) });
      } finally {
        $("#room-page").setAttribute("aria-busy", "false");
      }
    }
    showDay();
  }

  function openDesk(deskId, opener) {
    const desk = desks.find((d) => d.id === deskId);
    const state = states.get(deskId);
    if (!isBookable(state)) {
      toast(`${describeDesk(desk, deskState(desk, availability, windowStart(), windowEnd()), availability, "", viewZone)}: it cannot be booked.`);
      return;
    }
    dialog.open(desk, opener, view.window);
  }

  /** Why the typed day cannot be shown: not a real day, too far back, beyond the booking window, or closed. */
  function dayInputProblem(day) {
    const now = availability.now();
    const last = lastOpenDay(policy, zone, now);
    return dayProblem(day, {
      earliest: earliestDay(localDate(now, zone)), latest: last,
      latestReason: `Bookings are open up to ${formatDayWithWeekday(last)}.`,
    }) ?? closedDayReason(day, policy, place.name);
  }

  dateInput.addEventListener("change", () => {
    const problem = dayInputProblem(dateInput.value);
    markDay(dateInput, problem);
    view.typedDayProblem = problem;
    if (problem) render();
    else setDay(dateInput.value);
  });
  for (const control of [fromSelect, untilSelect]) {
    control.addEventListener("change", () => {
      view.window = readTimeSelects(fromSelect, untilSelect, view.window, control);
      showDay();
    });
  }

  await loadAvailability();
  showDay();
  $("#room-page").setAttribute("aria-busy", "false");

  subscribe(`room:${roomId}`, (message) => {
    if (message.type === "error" && message.code === "not_found") return showNoAccess();
    if (availability.apply(message)) render({ announce: true });
    // `subscribed` comes after every (re)connect: whatever happened before it is fetched again.
    if (message.type !== "pong") scheduleReload();
  });
  onReconnect(scheduleReload);
  // Holds lapse and slots pass without any event; a periodic look keeps both honest.
  setInterval(showDay, 30000);
});
