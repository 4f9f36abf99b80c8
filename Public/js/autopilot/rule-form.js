// The rules editor (`#rule-form`): creates a rule or changes one, sending the fields of the API's rule input.
import { patch, post } from "../lib/api.js";
import { $, $$, clearErrors, showErrors, toast } from "../lib/dom.js";
import { submitting } from "../lib/forms.js";
import { createDateList } from "./date-list.js";
import { createDeskPicker } from "./desk-picker.js";
import { clockHint, clockValue, showClockValue } from "../lib/time-input.js";
import {
  checkedValues, clockFields, fillChecks, fillLocations, fullDayOf, readWindow, showWindow as showTimes, stepTimes, tagOptions, timesHint,
} from "./form-parts.js";
import { byName, desksOf, floorsOf, locationById, roomsOf } from "./places.js";

export function createRuleForm({ section, onSaved, defaultLocationId }) {
  const form = $("#rule-form", section);
  const title = $("#rule-editor-title", section);
  const submit = $("#rule-submit", section);
  const locationSelect = form.location_id;
  // `form.name` is the form's own name, so the field is looked up by name.
  const nameInput = form.elements.namedItem("name");
  const floorBox = $("#rule-floors [data-options]", form);
  const roomBox = $("#rule-rooms [data-options]", form);
  const tagBox = $("#rule-tags [data-options]", form);
  const desks = createDeskPicker({ idPrefix: "rule-desks", legend: "Preferred desks, best first (optional)" });
  const more = $("#rule-more", form);
  const moreCount = $("#rule-more-count", form);
  const modeHint = $("#rule-mode-hint", form);
  const extraDates = createDateList({ field: "extra_dates", idPrefix: "rule-extra", legend: "Extra days",
    hint: "Days to ask for besides the weekdays." });
  const blacklistDates = createDateList({ field: "blacklist_dates", idPrefix: "rule-skip-day", legend: "Days to leave out",
    hint: "These win over weekdays and extra days." });
  const blacklistRanges = createDateList({ field: "blacklist_ranges", idPrefix: "rule-skip-range", legend: "Periods to leave out",
    hint: "Holidays and other spans of days, first and last day included.", range: true });
  $("#rule-desks", form).append(desks.element);
  $("#rule-extra-dates", form).append(extraDates.element);
  $("#rule-blacklist-dates", form).append(blacklistDates.element);
  $("#rule-blacklist-ranges", form).append(blacklistRanges.element);
  clockFields(form.window_from, form.window_until, form.skip_today_after);
  $("#rule-skip-hint", form).append(` Written ${clockHint()}.`);

  let editing = null; // the rule being changed, or null for a new one
  let opener = null;
  let locationDesks = [];
  let loadSerial = 0;
  let fullDay = null; // the shown location's whole bookable day, `{from, until}`, or null when it cannot be typed

  const modeHints = {
    book: "Asks for a desk on each chosen day and takes what the draw or the waitlist gives.",
    watch: "Only tells you when a matching desk frees up on the chosen days; books nothing.",
  };
  const showModeHint = () => { modeHint.textContent = modeHints[$('input[name="mode"]:checked', form)?.value ?? "book"]; };

  /** How many of the options under "More options" differ from their defaults, shown on its summary. */
  function countMore() {
    const set = [
      !form.accepts_other_desks.checked, checkedValues(form, "floor_ids").length > 0, checkedValues(form, "room_ids").length > 0,
      checkedValues(form, "tags").length > 0, extraDates.values().length > 0, blacklistDates.values().length > 0,
      blacklistRanges.values().length > 0, Boolean(form.skip_today_after.value),
    ].filter(Boolean).length;
    moreCount.textContent = set ? `(${set} set)` : "";
    return set;
  }

  /** Fills the time inputs with `window`, else the location's whole day, keeping a window the person typed. */
  function showWindow(window, previousFullDay) {
    const typed = readWindow(form.window_from, form.window_until).window ?? null;
    const shown = window ?? (typed && !sameWindow(typed, previousFullDay) ? typed : fullDay);
    showTimes(form.window_from, form.window_until, shown);
  }

  /** Desks the criteria allow to pick now: of the chosen rooms and floors, all of the location when none are chosen. */
  function refreshDeskChoices() {
    const rooms = checkedValues(form, "room_ids"), floors = checkedValues(form, "floor_ids");
    const candidates = locationDesks.filter((desk) => (rooms.length === 0 || rooms.includes(desk.room.id))
      && (floors.length === 0 || floors.includes(desk.room.floor_id)));
    desks.setDesks(locationDesks, candidates);
  }

  /** Shows the floors, rooms, desks and tags of a location, with `selection` ticked. */
  async function showLocation(locationId, selection = {}) {
    const serial = ++loadSerial;
    const [location, floors, rooms, all] = await Promise.all([
      locationById(locationId), floorsOf(locationId), roomsOf(locationId), desksOf(locationId)]);
    if (serial !== loadSerial) return; // a later choice of location won
    const floorNames = new Map(floors.map((floor) => [floor.id, floor.name]));
    fillChecks(floorBox, "floor_ids", [...floors].sort((a, b) => a.level - b.level)
      .map((floor) => ({ value: floor.id, label: floor.name })), selection.floor_ids);
    fillChecks(roomBox, "room_ids", [...rooms].sort(byName)
      .map((room) => ({ value: room.id, label: `${room.name} (${floorNames.get(room.floor_id) ?? "floor"})` })), selection.room_ids);
    fillChecks(tagBox, "tags", tagOptions(all), selection.tags);
    locationDesks = all;
    desks.setChosen(selection.desk_ids ?? []);
    refreshDeskChoices();
    const previousFullDay = fullDay;
    fullDay = fullDayOf(location);
    showWindow(selection.window, previousFullDay);
    $("#rule-window-hint", form).textContent = timesHint(location);
    stepTimes(location, [form.window_from, form.window_until]);
    countMore();
  }

  locationSelect.addEventListener("change", () => showLocation(locationSelect.value).catch((error) => showErrors(form, error)));
  form.addEventListener("change", (event) => {
    if (event.target.name === "room_ids" || event.target.name === "floor_ids") refreshDeskChoices();
    if (event.target.name === "mode") showModeHint();
    countMore();
  });
  // Adding or removing a day in a list is a click, not a change.
  more.addEventListener("click", () => queueMicrotask(countMore));

  async function open(rule) {
    editing = rule;
    opener = document.activeElement;
    clearErrors(form);
    form.reset();
    title.textContent = rule ? `Change “${rule.name}”` : "New rule";
    submit.textContent = rule ? "Save changes" : "Create rule";
    await fillLocations(locationSelect, rule?.location_id ?? defaultLocationId);
    nameInput.value = rule?.name ?? "";
    for (const radio of $$('input[name="mode"]', form)) radio.checked = radio.value === (rule?.mode ?? "book");
    const weekdays = (rule?.weekdays ?? [1, 2, 3, 4, 5]).map(String);
    for (const box of $$('input[name="weekdays"]', form)) box.checked = weekdays.includes(box.value);
    form.accepts_other_desks.checked = rule?.accepts_other_desks ?? true;
    showTimes(form.window_from, form.window_until, null);
    fullDay = null;
    showClockValue(form.skip_today_after, rule?.skip_today_after ?? null);
    extraDates.set(rule?.extra_dates ?? []);
    blacklistDates.set(rule?.blacklist_dates ?? []);
    blacklistRanges.set(rule?.blacklist_ranges ?? []);
    showModeHint();
    section.hidden = false;
    await showLocation(locationSelect.value, rule ?? {});
    // What a rule sets beyond the usual stays in view when it is changed.
    more.open = countMore() > 0;
    section.scrollIntoView({ block: "start" });
    title.focus();
  }

  function close() {
    section.hidden = true;
    editing = null;
    opener?.isConnected ? opener.focus() : $("#new-rule")?.focus();
  }

  /**
   * `{rule}` as the API takes it, or `{problems}` found before sending; neither when a day typed into a list is
   * incomplete (that list says so itself).
   */
  function readRule() {
    if (![extraDates, blacklistDates, blacklistRanges].every((list) => list.commitPending())) return {};
    const problems = [];
    const { window: typed, problem } = readWindow(form.window_from, form.window_until);
    if (problem) problems.push({ field: "window", message: problem });
    const skipToday = clockValue(form.skip_today_after);
    if (skipToday.problem) problems.push({ field: "skip_today_after", message: skipToday.problem });
    // The whole bookable day is sent as none, so the rule follows the location when its hours change.
    const window = sameWindow(typed, fullDay) ? null : typed;
    const rule = {
      name: nameInput.value.trim() || undefined,
      location_id: locationSelect.value,
      mode: $('input[name="mode"]:checked', form)?.value ?? "book",
      weekdays: checkedValues(form, "weekdays").map(Number),
      extra_dates: extraDates.values(),
      blacklist_dates: blacklistDates.values(),
      blacklist_ranges: blacklistRanges.values(),
      window,
      skip_today_after: skipToday.value ?? null,
      floor_ids: checkedValues(form, "floor_ids"),
      room_ids: checkedValues(form, "room_ids"),
      desk_ids: desks.chosen(),
      accepts_other_desks: form.accepts_other_desks.checked,
      tags: checkedValues(form, "tags"),
    };
    if (rule.weekdays.length === 0 && rule.extra_dates.length === 0) {
      problems.push({ field: "weekdays", message: "Choose at least one weekday or extra day." });
    }
    if (!rule.accepts_other_desks && rule.desk_ids.length === 0) {
      problems.push({ field: "desk_ids", message: "Name at least one desk, or accept other matching desks." });
    }
    return problems.length ? { problems } : { rule };
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const { rule, problems } = readRule();
    const wasEditing = Boolean(editing);
    if (!rule) {
      if (problems) showErrors(form, { fields: problems });
      revealErrors();
      return;
    }
    await submitting(form, async () => {
      const saved = editing ? await patch(`/me/autopilot/rules/${editing.id}`, rule) : await post("/me/autopilot/rules", rule);
      toast(editing ? `Rule “${saved.name}” saved.` : `Rule “${saved.name}” created: see below what it does now and next.`);
      section.hidden = true;
      editing = null;
      onSaved(saved, { created: !wasEditing });
    }, { button: submit });
    revealErrors();
  });
  $("#rule-cancel", form).addEventListener("click", close);

  /** Opens "More options" when a field in error is inside it, and moves focus there. */
  function revealErrors() {
    const invalid = more.querySelector('[aria-invalid="true"]');
    if (!invalid || more.open) return;
    more.open = true;
    (invalid.matches("fieldset") ? invalid.querySelector("input, select") : invalid)?.focus();
  }

  return { openNew: () => open(null), openEdit: (rule) => open(rule) };
}

/** Whether two windows `{from, until}` are the same (both absent counts). */
function sameWindow(a, b) {
  return (a?.from ?? null) === (b?.from ?? null) && (a?.until ?? null) === (b?.until ?? null);
}
