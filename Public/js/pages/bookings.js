// My bookings: the person's bookings as a day, week or month calendar or as a list, with inline changes, their
// numbers and the calendar feed. Kept live through the `me` topic.
import { all, del, get, query } from "../lib/api.js";
import { dayFromAddress } from "../lib/calendar.js";
import { confirm } from "../lib/dialog.js";
import { $, $$, errorText, fill, toast } from "../lib/dom.js";
import { showMessage } from "../lib/errors.js";
import { addDays, formatDayWithWeekday, formatMonth, formatPlaceRange, ownZone, today, zonedInstant, zoneText } from "../lib/format.js";
import { onReconnect, subscribe } from "../lib/live.js";
import { runPage } from "../lib/session.js";
import { debounce } from "../lib/timing.js";
import { renderMonth, renderTimeGrid, updateNowLine } from "../bookings/calendar.js";
import { wireCalendarFeed } from "../bookings/feed.js";
import { bookingItem, showRefusal } from "../bookings/item.js";
import { renderList } from "../bookings/list.js";
import { loadLocations, loadRoomsFor, policyOf, shownZone, whereText } from "../bookings/places.js";
import { loadStats, tickStats } from "../bookings/stats.js";
import { checkInDue, daysOf, isOngoing, isOpen, periodOf, segmentOn, shiftAnchor } from "../bookings/times.js";

const views = ["day", "week", "month", "list"];
/** Upcoming bookings are read in pages of this many; "Show more" asks for one page more. */
const pageSize = 50;
/** Past bookings are read this many days back at a time. */
const pastStep = 30;

const state = {
  view: "list",
  /** A local day in the calendar zone that the calendar period contains. */
  anchor: null,
  show: "upcoming",
  upcomingLimit: pageSize,
  pastDays: pastStep,
  pastExhausted: false,
  hasMore: false,
  bookings: [],
  selectedId: null,
};
/**
 * The zone of the calendar's "today" and its "now" line: the default location's, else the first one's (as on the
 * dashboard), else the person's own. Each booking sits on the grid at its own location's clock times.
 */
let calendarZone;
/** Every booking read so far, for the panels that mention one by id. */
const known = new Map();

const itemEvents = { changed: bookingChanged, cancel: askToCancel };

runPage(async ({ prefs }) => {
  const locations = await loadLocations();
  const home = locations.find((l) => l.id === prefs.default_location_id) ?? locations[0];
  calendarZone = home?.timezone ?? ownZone();
  readAddress();
  wireToolbar();
  wireCalendarFeed();
  $("#detail-close").addEventListener("click", () => select(null));
  await Promise.all([load(), loadStats(findBooking)]);

  subscribe("me", (message) => { if (message.type?.startsWith("booking.")) scheduleReload(); });
  onReconnect(scheduleReload);
  everyMinute(minuteTick);
});

// MARK: what is shown

function readAddress() {
  const params = new URLSearchParams(location.search);
  state.view = views.includes(params.get("view")) ? params.get("view") : "list";
  state.anchor = dayFromAddress() ?? today(calendarZone);
  state.show = params.get("show") === "past" ? "past" : "upcoming";
}

/** Keeps the view in the address, so a reload or a shared link shows the same. */
function writeAddress() {
  const params = state.view === "list"
    ? { view: "list", show: state.show === "past" ? "past" : undefined }
    : { view: state.view, date: state.anchor };
  history.replaceState(null, "", `/bookings${query(params)}`);
}

function wireToolbar() {
  for (const button of $$("[data-view]")) {
    button.addEventListener("click", () => {
      state.view = button.dataset.view;
      state.selectedId = null;
      changePeriod();
    });
  }
  for (const button of $$("[data-show]")) {
    button.addEventListener("click", () => {
      state.show = button.dataset.show;
      changePeriod();
    });
  }
  $("#period-prev").addEventListener("click", () => { state.anchor = shiftAnchor(state.view, state.anchor, -1); changePeriod(); });
  $("#period-next").addEventListener("click", () => { state.anchor = shiftAnchor(state.view, state.anchor, 1); changePeriod(); });
  $("#period-today").addEventListener("click", () => { state.anchor = today(calendarZone); changePeriod(); });
  $("#list-more").addEventListener("click", async () => {
    if (state.show === "upcoming") {
      state.upcomingLimit = Math.min(500, state.upcomingLimit + pageSize);
      return load();
    }
    const before = state.bookings.length;
    state.pastDays += pastStep;
    await load();
    if (state.bookings.length > before) return;
    // Nothing older turned up: the history starts here.
    Object.assign(state, { pastExhausted: true, hasMore: false });
    render();
    $("#view-title").focus();
    toast("There are no older bookings.");
  });
}

function changePeriod() {
  writeAddress();
  updateToolbar();
  load();
}

function updateToolbar() {
  const calendar = state.view !== "list";
  for (const button of $$("[data-view]")) button.setAttribute("aria-pressed", String(button.dataset.view === state.view));
  for (const button of $$("[data-show]")) button.setAttribute("aria-pressed", String(button.dataset.show === state.show));
  $("#period-nav").hidden = !calendar;
  $("#list-switch").hidden = calendar;
  const unit = { day: "day", week: "week", month: "month" }[state.view];
  if (unit) {
    $("#period-prev-text").textContent = `Previous ${unit}`;
    $("#period-next-text").textContent = `Next ${unit}`;
  }
  // The title is a live region: only a new title is worth announcing.
  const title = viewTitle();
  if ($("#view-title").textContent !== title) $("#view-title").textContent = title;
}

function viewTitle() {
  const period = periodOf(state.view, state.anchor);
  switch (state.view) {
    case "day": return formatDayWithWeekday(state.anchor, { long: true });
    case "week": return `Week of ${formatDayWithWeekday(period.first)} – ${formatDayWithWeekday(addDays(period.first, 6))}`;
    case "month": return formatMonth(state.anchor);
    default: return state.show === "past" ? "Past bookings" : "Upcoming bookings";
  }
}

// MARK: reading

let loadSerial = 0;

/** Reads the bookings of the current view and shows them; a newer call wins over an older one still under way. */
async function load() {
  const serial = ++loadSerial;
  $(state.view === "list" ? "#bookings-list" : "#calendar").setAttribute("aria-busy", "true");
  try {
    const { bookings, hasMore } = await readBookings();
    await loadRoomsFor(bookings);
    if (serial !== loadSerial) return;
    for (const booking of bookings) known.set(booking.id, booking);
    Object.assign(state, { bookings, hasMore });
    showMessage($("#view-error"), null);
    render();
  } catch (error) {
    if (serial !== loadSerial) return;
    showMessage($("#view-error"), `Your bookings could not be read: ${errorText(error)}`);
  } finally {
    if (serial === loadSerial) for (const box of [$("#bookings-list"), $("#calendar")]) box.removeAttribute("aria-busy");
  }
}

async function readBookings() {
  const now = new Date();
  if (state.view !== "list") {
    const period = periodOf(state.view, state.anchor);
    // A day further on either side: bookings of locations in other zones are placed at their own clock times.
    const from = zonedInstant(addDays(period.first, -1), 0, calendarZone);
    const to = zonedInstant(addDays(period.first, period.count + 1), 0, calendarZone);
    return { bookings: await all("/bookings", { mine: true, from: from.toISOString(), to: to.toISOString() }), hasMore: false };
  }
  if (state.show === "upcoming") {
    // Upcoming bookings someone else cancelled (maintenance) stay in view with their reason; one's own cancellations do not.
    const page = await get(`/bookings${query({ mine: true, from: now.toISOString(), limit: state.upcomingLimit, status: "all" })}`);
    const shown = page.items.filter((b) => b.status === "confirmed" || (b.status === "cancelled" && b.cancel_reason));
    return { bookings: shown, hasMore: Boolean(page.next_cursor) && state.upcomingLimit < 500 };
  }
  // Past: everything that ended (cancelled and released ones too), latest first.
  const from = new Date(now.getTime() - state.pastDays * 86400000);
  const bookings = (await all("/bookings", { mine: true, from: from.toISOString(), to: now.toISOString(), status: "all" }))
    .filter((b) => new Date(b.end) <= now || b.status !== "confirmed")
    .sort((a, b) => new Date(b.start) - new Date(a.start));
  return { bookings, hasMore: !state.pastExhausted };
}

/** A booking by id: from what was read already, else from the server. */
async function findBooking(id) {
  if (known.has(id)) return known.get(id);
  const booking = await get(`/bookings/${id}`);
  await loadRoomsFor([booking]);
  known.set(id, booking);
  return booking;
}

/** Live events come in bursts (a change is one event per topic); one reload answers a burst. */
const scheduleReload = debounce(() => { load(); loadStats(findBooking); }, 300);

// MARK: drawing

/**
 * Draws the current view. Focus stays where it was: on the same element if it survived, else on the element with
 * `preferredKey`, else on the one with the same `data-key` as before (the same action of the same booking).
 */
function render(preferredKey) {
  const focus = rememberFocus();
  updateToolbar();
  const list = state.view === "list";
  $("#bookings-list").hidden = !list;
  $("#calendar").hidden = list;
  $("#list-more").hidden = !list || !state.hasMore;
  $("#list-more").textContent = state.show === "past" ? `Show ${pastStep} more days` : "Show more";
  if (list) {
    fill($("#calendar"));
    renderList($("#bookings-list"), state.bookings, itemEvents,
      state.show === "past" ? `No past bookings in the last ${state.pastDays} days.` : "No upcoming bookings. Book a desk to see it here.");
    $("#view-note").textContent = "";
  } else {
    fill($("#bookings-list"));
    renderCalendar();
  }
  renderDetail();
  restoreFocus(focus, preferredKey);
}

function renderCalendar() {
  const period = periodOf(state.view, state.anchor);
  const days = daysOf(period);
  const on = { select, openDay };
  const box = $("#calendar");
  if (state.view === "month") renderMonth(box, days, state.anchor.slice(0, 7), state.bookings, calendarZone, state.selectedId, on);
  else renderTimeGrid(box, days, state.bookings, calendarZone, state.selectedId, on);
  const shown = state.bookings.filter((b) => days.some((day) => segmentOn(b, day, shownZone(b))));
  const count = shown.length;
  const zones = [...new Set(shown.map(shownZone))];
  const times = zones.length > 1 ? "times in each desk's local time"
    : `times in ${zoneText(zones[0] ?? calendarZone, zonedInstant(period.first, 12 * 60, zones[0] ?? calendarZone))}`;
  $("#view-note").textContent = `${count === 0 ? "No bookings" : count === 1 ? "1 booking" : `${count} bookings`} · ${times}`;
}

function renderDetail() {
  const selected = state.view === "list" ? null : state.bookings.find((b) => b.id === state.selectedId);
  $("#booking-detail").hidden = !selected;
  fill($("#detail-body"), selected ? bookingItem(selected, itemEvents) : null);
}

/** Selects a booking of the calendar (or, given the selected one or null, lets go of it). */
function select(booking) {
  const previous = state.selectedId;
  state.selectedId = booking && booking.id !== previous ? booking.id : null;
  render();
  if (state.selectedId) $("#detail-title").focus();
  else document.querySelector(`[data-key^="event-${previous}"]`)?.focus();
}

function openDay(day) {
  state.view = "day";
  state.anchor = day;
  state.selectedId = null;
  changePeriod();
  $("#view-title").focus();
}

function rememberFocus() {
  const element = document.activeElement;
  return { element, key: element?.closest?.("[data-key]")?.dataset.key };
}

function restoreFocus({ element, key }, preferredKey) {
  if (element?.isConnected && element !== document.body) {
    if (document.activeElement !== element) element.focus();
    return;
  }
  const target = [preferredKey, key].filter(Boolean).map((k) => document.querySelector(`[data-key="${CSS.escape(k)}"]`)).find(Boolean);
  target?.focus();
}

// MARK: changes

/** After the server accepted a change: show it in place, confirm it, and refresh the numbers. */
function bookingChanged(changed, message, action) {
  known.set(changed.id, changed);
  state.bookings = state.bookings.map((b) => (b.id === changed.id ? changed : b));
  const order = state.view === "list" && state.show === "past" ? -1 : 1; // past bookings read latest first
  state.bookings.sort((a, b) => order * (new Date(a.start) - new Date(b.start)));
  render(`${action}-${changed.id}`);
  const item = $(`li.booking[data-booking-id="${changed.id}"]`);
  if (item && !item.contains(document.activeElement)) item.focus();
  toast(message);
  loadStats(findBooking);
}

async function askToCancel(booking) {
  const sure = await confirm({
    title: "Cancel this booking?", confirmLabel: "Cancel booking", cancelLabel: "Keep it", danger: true,
    message: `Desk ${booking.desk_name}, ${whereText(booking)}: ${formatPlaceRange(booking.start, booking.end, shownZone(booking))}.`,
    ids: { dialog: "cancel-dialog", confirm: "cancel-confirm" },
  });
  // A live update may have drawn the list anew meanwhile: the booking's own button is looked up again.
  if (sure) cancelBooking(booking);
  else document.querySelector(`[data-key="cancel-${booking.id}"]`)?.focus();
}

async function cancelBooking(booking) {
  const neighbour = neighbourOf(booking.id);
  try {
    await del(`/bookings/${booking.id}`);
    known.delete(booking.id);
    state.bookings = state.bookings.filter((b) => b.id !== booking.id);
    if (state.selectedId === booking.id) state.selectedId = null;
    render();
    (neighbour && document.querySelector(`[data-key="item-${neighbour}"]`) || $("#view-title")).focus();
    toast(`Cancelled: desk ${booking.desk_name}, ${formatPlaceRange(booking.start, booking.end, shownZone(booking))}.`);
    loadStats(findBooking);
  } catch (error) {
    const item = $(`li.booking[data-booking-id="${booking.id}"]`);
    showRefusal(item, error);
    $(`[data-key="cancel-${booking.id}"]`)?.focus();
  }
}

/** The booking after this one in the list (or before it, for the last), where focus goes once it is gone. */
function neighbourOf(id) {
  if (state.view !== "list") return null;
  const index = state.bookings.findIndex((b) => b.id === id);
  return (state.bookings[index + 1] ?? state.bookings[index - 1])?.id ?? null;
}

// MARK: time passing

/** What the actions of each booking depend on; when it changes, the view is read again. */
function actionState(now) {
  return state.bookings.map((b) => `${b.id}:${isOpen(b, now)}:${isOngoing(b, now)}:${checkInDue(b, policyOf(b), now)}`).join();
}

let lastActionState = "";

function minuteTick() {
  if (tickStats()) loadStats(findBooking);
  const current = actionState(Date.now());
  if (lastActionState && current !== lastActionState) load();
  lastActionState = current;
  if (state.view === "day" || state.view === "week") updateNowLine($("#calendar"), calendarZone);
}

/** Runs `work` at the start of every minute. */
function everyMinute(work) {
  lastActionState = actionState(Date.now());
  setTimeout(() => {
    work();
    setInterval(work, 60000);
  }, 60000 - (Date.now() % 60000) + 50);
}
