// One person on the oversight page (`#autopilot-person`): their rule limit, and a look at their autopilot, which the
// server records in the audit log.
import { get, put } from "../lib/api.js";
import { $, busy, clearErrors, errorText, fill, h, showErrors, toast } from "../lib/dom.js";
import { submitting } from "../lib/forms.js";
import { formatDayWithWeekday } from "../lib/format.js";
import { personText } from "../lib/people.js";
import { personPicker } from "../lib/person-picker.js";
import { createActivityLog } from "./activity-log.js";
import { requestStatusBadge } from "./describe.js";
import { deskName } from "./places.js";
import { ruleItem, ruleSummary } from "./rule-card.js";

export function createOversightPerson({ section, locationsById }) {
  const panel = $("#person-panel", section);
  const limitsForm = $("#limits-form", section);
  const viewButton = $("#person-view", section);
  const view = $("#person-autopilot", section);
  let person = null;

  function show(user) {
    person = user;
    $("#person-name", section).textContent = personText(user);
    limitsForm.max_rules.value = "";
    clearErrors(limitsForm);
    fill(view);
    panel.hidden = false;
  }

  $("#person-find", section).append(personPicker({
    label: "Username or name",
    onPick: (user) => {
      show(user);
      limitsForm.max_rules.focus();
    },
  }));

  limitsForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = limitsForm.max_rules.value.trim();
    const maxRules = text === "" ? null : Number(text);
    if (maxRules !== null && !(Number.isInteger(maxRules) && maxRules >= 0 && maxRules <= 1000)) {
      return showErrors(limitsForm, { fields: [{ field: "max_rules", message: "A whole number from 0 to 1000, or empty for the standard." }] });
    }
    await submitting(limitsForm, async () => {
      const limit = await put(`/admin/users/${person.id}/limits`, { max_rules: maxRules });
      limitsForm.max_rules.value = limit.is_own ? String(limit.max_rules) : "";
      toast(`${person.display_name} may now have ${limit.max_rules} rules${limit.is_own ? "" : " (the standard)"}.`);
    });
  });

  viewButton.addEventListener("click", () => busy(viewButton, async () => {
    try {
      const overview = await get(`/admin/users/${person.id}/autopilot`);
      limitsForm.max_rules.value = overview.limit_is_own ? String(overview.max_rules) : "";
      await render(overview);
    } catch (error) {
      fill(view, h("p", { class: "page-error", text: errorText(error) }));
    }
  }));

  async function render(overview) {
    const summaries = await Promise.all(overview.rules.map(ruleSummary));
    const ruleOf = (id) => overview.rules.find((rule) => rule.id === id) ?? null;
    const logList = h("ol", { class: "autopilot-log plain-list", tabindex: "0", "aria-label": "Recent activity" });
    createActivityLog({ list: logList, ruleOf, locationsById }).show(overview.log);
    const history = await Promise.all(overview.history.map(async (request) => h("tr", {},
      h("td", { text: formatDayWithWeekday(request.date) }),
      h("td", { text: locationsById.get(request.location_id)?.name ?? "—" }),
      h("td", { text: ruleOf(request.rule_id)?.name ?? "A rule since deleted" }),
      h("td", {}, requestStatusBadge(request)),
      h("td", { text: request.status === "won" ? await deskName(request.desk_id, request.location_id) : request.reason ?? "" }))));
    const heading = h("h3", { tabindex: "-1", text: `${person.display_name}'s autopilot` });
    fill(view,
      heading,
      h("p", { text: `${overview.rules.length} of ${overview.max_rules} rules${overview.limit_is_own ? " (own limit)" : " (standard limit)"}.` }),
      overview.rules.length
        ? h("ul", { class: "person-rules plain-list" }, overview.rules.map((rule, i) => ruleItem(rule, summaries[i], { headingLevel: "h4" })))
        : h("p", { class: "empty", text: "No rules." }),
      h("h3", { text: "Recent activity" }),
      logList,
      h("h3", { text: "Recent requests" }),
      history.length
        ? h("div", { class: "table-wrap" }, h("table", {},
          h("caption", { class: "visually-hidden", text: `Recent requests of ${person.display_name}` }),
          h("thead", {}, h("tr", {}, ["Day", "Location", "Rule", "Outcome", "Desk or reason"].map((t) => h("th", { scope: "col", text: t })))),
          h("tbody", {}, history)))
        : h("p", { class: "empty", text: "No requests." }));
    heading.focus();
  }

  return {
    /** Shows `user` in the panel and takes the keyboard there. */
    open(user) {
      show(user);
      section.scrollIntoView({ block: "start" });
      $("#person-title", section).focus();
    },
  };
}
