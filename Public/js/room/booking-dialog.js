// The booking dialog: one desk's day (or week), a time selection by pointer or by the start/end selects, a live
// preview with what would be refused, and a hold on the desk while the dialog is open so nobody books it meanwhile.
import { ApiError, csrfToken, del, post, put } from "../lib/api.js";
import { $, clearErrors, fill, h, toast } from "../lib/dom.js";
import { submitting } from "../lib/forms.js";
import { lastOpenDay, weekStart } from "../lib/calendar.js";
import {
  addDays, formatDayWithWeekday, formatDuration, formatPlaceRange, formatRange, localDate, zonedInstant, zoneText,
} from "../lib/format.js";
import { boundaries, clampWindow, earliestStart, openingHours, policyProblems } from "./day-slots.js";
import { describeBusy } from "./desk-state.js";
import { fillTimeSelects, readTimeSelects } from "./time-selects.js";
import { createDayTimeline, renderWeek } from "./timeline.js";

/** The client refreshes its hold this often; the server lets one lapse after 60 s. */
const holdRefreshMs = 25000;

/**
 * `place`: `{availability, policy, zone (the location's), viewZone, day(), setDay(day), reload(), onBooked(booking)}`:
 * the page owns the day, so the plan and the dialog always show the same one.
 */
export function createBookingDialog(place) {
  const { availability, policy, zone, viewZone } = place;
  const dialog = $("#booking-dialog");
  const form = $("#booking-form");
  const startSelect = $("#booking-start");
  const endSelect = $("#booking-end");
  const preview = $("#booking-preview");
  const holdNote = $("#booking-hold");
  const weekPanel = $("#booking-week");
  const dayPanel = $("#booking-timeline");
  const dayButton = $("#booking-view-day");
  const weekButton = $("#booking-view-week");
  const timeline = createDayTimeline(dayPanel, (from, until) => select({ from, until }));

  let desk = null;
  let opener = null;
  let selection = { from: 0, until: 0 };
  let hold = { state: "none", timer: null };

  const instant = (minutes, day = place.day()) => zonedInstant(day, minutes, zone);
  const describe = (b) => describeBusy(b, availability, viewZone);

  // MARK: holds

  async function acquireHold() {
    const deskId = desk.id;
    try {
      await put(`/desks/${deskId}/hold`);
      // Closed meanwhile: let go at once rather than keep others out for a minute.
      if (desk?.id !== deskId) { del(`/desks/${deskId}/hold`).catch(() => {}); return; }
      hold.state = "held";
      holdNote.textContent = "This desk is kept for you while you choose (for up to 5 minutes).";
      clearInterval(hold.timer);
      hold.timer = setInterval(refreshHold, holdRefreshMs);
    } catch (error) {
      if (desk?.id !== deskId) return;
      stopHold();
      hold.state = error.code === "desk_held" ? "refused" : "failed";
      holdNote.textContent = error.code === "desk_held"
        ? "Someone else is booking this desk right now. You can look at its times; it frees up when they finish or leave."
        : error.message;
    }
    renderPreview();
  }

  async function refreshHold() {
    try {
      await put(`/desks/${desk.id}/hold`);
    } catch (error) {
      stopHold();
      hold.state = "failed";
      holdNote.textContent = error.code === "hold_limit_reached"
        ? "This desk is no longer kept for you (holds last 5 minutes). You can still book it if nobody else has."
        : error.message;
    }
  }

  function stopHold() {
    clearInterval(hold.timer);
    hold.timer = null;
  }

  function releaseHold() {
    stopHold();
    if (hold.state === "held") del(`/desks/${desk.id}/hold`).catch(() => {});
    hold.state = "none";
  }

  // A closing tab cannot wait for a request: the beacon carries the CSRF token in its query.
  addEventListener("pagehide", () => {
    if (dialog.open && hold.state === "held") {
      navigator.sendBeacon(`/api/v1/desks/${desk.id}/hold/release?csrf_token=${encodeURIComponent(csrfToken())}`);
    }
  });

  // MARK: selection

  function earliest(day = place.day()) {
    return earliestStart(day, policy, zone, availability.now());
  }

  function select(next) {
    selection = clampWindow(next, policy, earliest());
    render();
  }

  for (const control of [startSelect, endSelect]) {
    control.addEventListener("change", () => select(readTimeSelects(startSelect, endSelect, selection, control)));
  }

  /** Where to start when the window is taken on this desk: its longest free stretch, if any. */
  function suggestion(window) {
    const free = (from, until) => !availability.busyOf(desk.id, instant(from), instant(until)).length;
    if (free(window.from, window.until)) return window;
    const { step } = openingHours(policy);
    let best = null, run = null;
    for (let m = window.from; m < window.until; m += step) {
      if (!free(m, m + step)) { run = null; continue; }
      run = { from: run?.from ?? m, until: m + step };
      if (!best || run.until - run.from > best.until - best.from) best = run;
    }
    return best ?? window;
  }

  // MARK: drawing

  function render() {
    if (!desk) return;
    const day = place.day();
    selection = clampWindow(selection, policy, earliest(day));
    const minutes = boundaries(policy);
    const instants = minutes.map((m) => instant(m, day).getTime());
    const dayBusy = availability.busyOf(desk.id, instants[0], instants[instants.length - 1]);
    $("#booking-day-label").textContent = `${formatDayWithWeekday(day, { long: true })} · times in ${zoneText(viewZone, instants[0])}`;
    $("#booking-busy").textContent = dayBusy.length ? `Taken this day: ${dayBusy.map(describe).join(", ")}.` : "Free all day.";
    const first = earliest(day);
    timeline.render({
      instants, minutes, earliestIndex: Math.max(0, minutes.indexOf(Math.min(first, minutes[minutes.length - 1]))),
      busy: dayBusy, selection, viewZone, describe,
    });
    if (!weekPanel.hidden) renderWeekView();
    fillTimeSelects(startSelect, endSelect, selection, { day, policy, zone, viewZone, earliest: first });
    renderPreview();
  }

  function renderWeekView() {
    const selected = place.day();
    const monday = weekStart(selected);
    const today = localDate(availability.now(), zone);
    const last = lastOpenDay(policy, zone, availability.now());
    const days = Array.from({ length: 7 }, (_, i) => {
      const day = addDays(monday, i);
      const instants = boundaries(policy).map((m) => instant(m, day).getTime());
      const taken = availability.busyOf(desk.id, instants[0], instants[instants.length - 1]);
      const notes = [taken.length ? `taken ${taken.map(describe).join(", ")}` : "free all day"];
      if (day < today) notes.push("past");
      if (day > last) notes.push("not open for booking yet");
      return { day, label: formatDayWithWeekday(day), instants, busy: taken, selected: day === selected, summary: notes.join("; ") };
    });
    renderWeek($("#booking-week-rows"), days, describe, pickDay);
  }

  async function pickDay(day) {
    await place.setDay(day);
    showView("day");
    dayButton.focus();
  }

  // Another week keeps the weekday and stays in the week view.
  $("#booking-week-prev").addEventListener("click", () => place.setDay(addDays(place.day(), -7)));
  $("#booking-week-next").addEventListener("click", () => place.setDay(addDays(place.day(), 7)));

  function showView(view) {
    weekPanel.hidden = view !== "week";
    dayPanel.hidden = view === "week";
    dayButton.setAttribute("aria-pressed", String(view === "day"));
    weekButton.setAttribute("aria-pressed", String(view === "week"));
    render();
  }
  dayButton.addEventListener("click", () => showView("day"));
  weekButton.addEventListener("click", () => showView("week"));

  /** The chosen day and times in words, with everything the server would likely refuse. */
  function renderPreview() {
    const day = place.day();
    const start = instant(selection.from, day), end = instant(selection.until, day);
    const warnings = [];
    const overlapping = availability.busyOf(desk.id, start, end);
    if (overlapping.length) warnings.push(`Overlaps ${overlapping.map(describe).join(", ")}.`);
    const elsewhere = availability.myBookingsElsewhere(desk.id, start, end);
    if (elsewhere.length >= policy.max_concurrent_per_user) {
      const yours = elsewhere.map((b) => `${b.deskName ?? "another desk"} ${formatRange(b.start, b.end, viewZone)}`).join(", ");
      warnings.push(`You already have a desk at that time (${yours}); you may hold ${policy.max_concurrent_per_user} at once.`);
    }
    if (hold.state === "refused" && availability.heldByOther(desk.id)) warnings.push("Someone else is booking this desk right now.");
    warnings.push(...policyProblems({ day, from: selection.from, until: selection.until }, policy, zone, availability.now()));
    preview.classList.toggle("has-warnings", warnings.length > 0);
    fill(preview,
      h("p", { class: "preview-range" }, h("strong", { text: formatPlaceRange(start, end, viewZone) }), ` · ${formatDuration(selection.until - selection.from)}`),
      warnings.length ? h("ul", { class: "preview-warnings" }, warnings.map((w) => h("li", { text: w }))) : h("p", { class: "preview-ok", text: "Free at that time." }));
  }

  // MARK: booking

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const day = place.day();
    const body = { desk_id: desk.id, start: instant(selection.from, day).toISOString(), end: instant(selection.until, day).toISOString() };
    submitting(form, async () => {
      const booking = await post("/bookings", body).catch((error) => {
        // Someone else got there first: the plan is read again so it shows what is in the way.
        if (error.code === "desk_taken" || error.code === "desk_held") place.reload();
        throw error;
      });
      hold.state = "none"; // the booking used the hold up
      const booked = desk;
      dialog.close();
      toast(`Booked ${booked.name}, ${formatPlaceRange(booking.start, booking.end, viewZone)}`);
      place.onBooked(booking);
    }, { button: $("#booking-submit"), explain });
  });

  /** Adds the times that are in the way to a `desk_taken` answer. */
  function explain(error) {
    if (!(error instanceof ApiError) || !error.problem.conflicts?.length) return error;
    const times = error.problem.conflicts.map((c) => formatRange(c.start, c.end, viewZone)).join(", ");
    return { message: `${error.message} Taken: ${times}.`, fields: [] };
  }

  // MARK: opening and closing

  $("#booking-close").addEventListener("click", () => dialog.close());
  $("#booking-cancel").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    releaseHold();
    const deskId = desk?.id;
    desk = null;
    timeline.reset();
    // Markers are updated in place, but fall back to the desk's current marker if the opener went away.
    const target = opener?.isConnected ? opener : document.querySelector(`.desk-marker[data-desk-id="${deskId}"]`);
    target?.focus();
  });

  /** Opens the dialog for `target` (a desk), starting from `window` ({from, until} in local minutes). */
  function open(target, from, window) {
    desk = target;
    opener = from;
    hold = { state: "none", timer: null };
    holdNote.textContent = "";
    clearErrors(form);
    $("#booking-title").textContent = `Book ${desk.name}`;
    fill($("#booking-tags"), desk.tags.length
      ? [h("span", { class: "visually-hidden", text: "Features: " }), desk.tags.map((tag) => h("span", { class: "badge", text: tag }))]
      : h("span", { class: "muted", text: "No special equipment" }));
    selection = clampWindow(suggestion(window), policy, earliest());
    weekPanel.hidden = true;
    dayPanel.hidden = false;
    dayButton.setAttribute("aria-pressed", "true");
    weekButton.setAttribute("aria-pressed", "false");
    dialog.showModal();
    render();
    startSelect.focus();
    acquireHold();
  }

  /** Re-draws after the room's availability changed; retries the hold once someone else's lapsed. */
  function refresh() {
    if (!dialog.open || !desk) return;
    if (hold.state === "refused" && !availability.heldByOther(desk.id)) acquireHold();
    render();
  }

  return { open, refresh, deskId: () => (dialog.open ? desk?.id : null) };
}
