// Asking for a desk on one day without a rule (`#request-form`), and the person's requests still waiting
// (`#requests-list`) with a way to take them back.
import { del, get, post, query } from "../lib/api.js";
import { isOpenDay, lastOpenDay } from "../lib/calendar.js";
import { confirm } from "../lib/dialog.js";
import { $, busy, errorText, fill, h, showErrors, toast } from "../lib/dom.js";
import { addDays, formatDayWithWeekday, today } from "../lib/format.js";
import { submitting } from "../lib/forms.js";
import { openRequestStatuses, requestStatusBadge, windowText } from "./describe.js";
import { createDeskPicker } from "./desk-picker.js";
import { labelNativeDate } from "../lib/time-input.js";
import { checkedValues, clockFields, describeTimes, fillChecks, fillLocations, readWindow, tagOptions } from "./form-parts.js";
import { desksOf, locationById } from "./places.js";
import { explainer } from "./glossary.js";
import { explanationToggle } from "./round-explainer.js";
import { whereText } from "./rule-card.js";

/** The first day of a location that is not open for booking yet: its desks will go by a draw. */
function firstClosedDay(location) {
  return addDays(lastOpenDay(location.policy, location.timezone), 1);
}

/** The first day from `day` on that the location opens (it opens on at least one weekday). */
function firstOpenDayFrom(day, policy) {
  let next = day;
  for (let i = 0; i < 7 && !isOpenDay(next, policy); i++) next = addDays(next, 1);
  return next;
}

export function createRequests({ form, list, ruleOf, defaultLocationId }) {
  const desks = createDeskPicker({ idPrefix: "request-desks" });
  $("#request-desks", form).append(desks.element);
  const tagBox = $("#request-tags [data-options]", form);
  clockFields(form.window_from, form.window_until);
  labelNativeDate(form.date);
  let loadSerial = 0;
  let listSerial = 0;

  async function showLocation(locationId) {
    const serial = ++loadSerial;
    const [location, all] = await Promise.all([locationById(locationId), desksOf(locationId)]);
    if (serial !== loadSerial) return;
    desks.setChosen([]);
    desks.setDesks(all, all);
    fillChecks(tagBox, "tags", tagOptions(all));
    describeTimes(location, $("#request-window-hint", form), [form.window_from, form.window_until]);
    // Days are those of the location's calendar; the first one not open yet is the one people usually ask for.
    const closed = firstClosedDay(location);
    form.date.min = today(location.timezone);
    form.date.value = firstOpenDayFrom(closed, location.policy);
    $("#request-date-hint", form).textContent = `From ${formatDayWithWeekday(closed)} on, days are not open yet: `
      + "their desks go by a fair draw when they open. An earlier day takes a free desk now or waits on its waitlist.";
  }

  form.location_id.addEventListener("change", () => showLocation(form.location_id.value).catch((error) => showErrors(form, error)));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { window, problem } = readWindow(form.window_from, form.window_until);
    const problems = [];
    if (problem) problems.push({ field: "window", message: problem });
    if (!form.date.value) problems.push({ field: "date", message: "Choose a day." });
    if (problems.length) return showErrors(form, { fields: problems });
    const request = {
      location_id: form.location_id.value, date: form.date.value, desk_ids: desks.chosen(), tags: checkedValues(form, "tags"), window,
    };
    await submitting(form, async () => {
      const filed = await post("/requests", request);
      toast(filed.status === "won" ? "A free desk matched: it is booked for you."
        : filed.status === "waitlisted" ? "That day is open: you are on its waitlist."
          : `Asked for ${formatDayWithWeekday(filed.date)}; the draw runs when the day opens.`);
      await reload();
    });
  });

  async function item(request) {
    const location = await locationById(request.location_id);
    const rule = request.rule_id ? ruleOf(request.rule_id) : null;
    const label = `${formatDayWithWeekday(request.date)} at ${location?.name ?? "a location"}`;
    const [why, explanation] = explanationToggle(request) ?? [];
    return h("li", { class: "request", dataset: { requestId: request.id, status: request.status } },
      h("div", { class: "history-head" }, h("strong", { text: label }), requestStatusBadge(request)),
      h("p", { class: "muted", text: `${await whereText(request)} · ${windowText(request.window)}` }),
      h("p", { class: "muted", text: request.rule_id ? `Filed by the rule “${rule?.name ?? "since deleted"}”` : "Asked by hand" }),
      h("div", { class: "button-row" },
        why,
        h("button", { type: "button", class: "button small danger", dataset: { action: "cancel" },
          "aria-label": `Cancel the request for ${label}`, text: "Cancel request",
          onClick: (event) => cancel(event.currentTarget, request, label) })),
      explanation,
      request.status === "waitlisted" ? explainer("waitlist") : request.status === "pending" && explainer("round"));
  }

  async function cancel(button, request, label) {
    const sure = await confirm({
      title: `Cancel the request for ${label}?`, confirmLabel: "Cancel request", cancelLabel: "Keep", danger: true,
      message: request.rule_id ? "Its rule will not ask for this day again." : null,
    });
    if (!sure) return;
    await busy(button, async () => {
      try {
        await del(`/requests/${request.id}`);
        toast(`Request for ${label} cancelled.`);
        await reload();
        (list.querySelector("button") ?? form.location_id).focus();
      } catch (error) {
        toast(errorText(error), "error");
      }
    });
  }

  async function reload() {
    const serial = ++listSerial;
    // Yesterday in UTC is on or before today everywhere, so no open request is left out.
    const mine = await get(`/me/requests${query({ from: addDays(today("UTC"), -1), limit: 500 })}`);
    const open = mine.filter((request) => openRequestStatuses.has(request.status)).sort((a, b) => a.date.localeCompare(b.date));
    const items = await Promise.all(open.map(item));
    if (serial !== listSerial) return; // a later reload shows fresher news
    fill(list, items.length ? items : h("li", { class: "empty", text: "No requests waiting. Ask for a day above, or let a rule do it." }));
    list.removeAttribute("aria-busy");
  }

  return {
    async start() {
      await fillLocations(form.location_id, defaultLocationId);
      await showLocation(form.location_id.value);
      await reload();
    },
    reload,
  };
}
