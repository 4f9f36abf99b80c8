// Everyone's rules for administrators (`#admin-rules-table`): filtered, a page at a time, with suspend and resume.
import { get, post, query } from "../lib/api.js";
import { $, busy, clearErrors, errorText, fill, h, showErrors, toast } from "../lib/dom.js";
import { formatDateTime, zoneFor } from "../lib/format.js";
import { submitting } from "../lib/forms.js";
import { personText, userById } from "../lib/people.js";
import { personFilter } from "../lib/person-picker.js";
import { plural } from "../lib/words.js";
import { ruleModes, ruleStatusBadge, statusReasonText } from "./describe.js";

const pageSize = 50;

export function createOversightRules({ filterForm, table, moreButton, count, dialog, locationsById, onPerson }) {
  const body = table.tBodies[0];
  const person = personFilter({ label: "Person" });
  $("#filter-person", filterForm).append(person.element);
  let filter = {};
  let cursor = null;
  let shown = 0;
  let serial = 0;

  async function row(rule) {
    const user = await userById(rule.user_id) ?? { id: rule.user_id, username: "unknown", display_name: "Someone no longer listed" };
    const location = locationsById.get(rule.location_id);
    const reason = statusReasonText(rule);
    const actions = rule.status === "suspended"
      ? [h("button", { type: "button", class: "button small", dataset: { action: "resume" }, "aria-label": `Resume “${rule.name}”`,
          text: "Resume", onClick: (event) => busy(event.currentTarget, () => resume(rule)) })]
      : [h("button", { type: "button", class: "button small danger", dataset: { action: "suspend" },
          "aria-label": `Suspend “${rule.name}”`, text: "Suspend…", onClick: () => askSuspend(rule) })];
    actions.push(h("button", { type: "button", class: "button small", dataset: { action: "person" },
      "aria-label": `Limit or view the autopilot of ${user.display_name}`, text: "Person…", onClick: () => onPerson(user) }));
    return h("tr", { dataset: { ruleId: rule.id, status: rule.status } },
      h("td", {}, h("strong", { text: rule.name })),
      h("td", { text: personText(user) }),
      h("td", { text: location?.name ?? "—" }),
      h("td", { text: ruleModes[rule.mode]?.label ?? rule.mode }),
      h("td", {}, ruleStatusBadge(rule), reason && h("p", { class: `rule-reason ${rule.status}`, text: reason })),
      h("td", { text: formatDateTime(rule.created_at, zoneFor(null)) }),
      h("td", {}, h("div", { class: "button-row" }, actions)));
  }

  function showCount() {
    count.textContent = shown === 0 ? "No rules match." : `${plural(shown, "rule")} shown${cursor ? "; more below" : ""}.`;
  }

  async function load(reset) {
    const mine = ++serial;
    if (reset) cursor = null;
    table.setAttribute("aria-busy", "true");
    try {
      const page = await get(`/admin/autopilot/rules${query({ ...filter, cursor, limit: pageSize })}`);
      const rows = await Promise.all(page.items.map(row));
      if (mine !== serial) return [];
      if (reset) {
        fill(body, rows);
        shown = 0;
      } else body.append(...rows);
      shown += rows.length;
      cursor = page.next_cursor ?? null;
      moreButton.hidden = !cursor;
      showCount();
      return rows;
    } finally {
      table.removeAttribute("aria-busy");
    }
  }

  /** Replaces a rule's row after a change, keeping focus on its action button. */
  async function replace(rule, focusAction) {
    const old = body.querySelector(`tr[data-rule-id="${rule.id}"]`);
    const fresh = await row(rule);
    old?.replaceWith(fresh);
    fresh.querySelector(`[data-action="${focusAction}"]`)?.focus();
  }

  async function resume(rule) {
    try {
      const resumed = await post(`/admin/autopilot/rules/${rule.id}/resume`);
      await replace(resumed, "suspend");
      toast(`“${rule.name}” may run again.`);
    } catch (error) {
      toast(errorText(error), "error");
    }
  }

  // The suspend dialog asks for the reason the owner will read.
  const suspendForm = $("#suspend-form", dialog);
  let suspending = null;
  function askSuspend(rule) {
    suspending = rule;
    clearErrors(suspendForm);
    suspendForm.reset();
    $("#suspend-rule", dialog).textContent = `“${rule.name}” stops at once and its waiting requests are taken back.`;
    dialog.showModal();
  }
  const closeDialog = () => dialog.close();
  $("#suspend-cancel", dialog).addEventListener("click", closeDialog);
  $("#suspend-close", dialog).addEventListener("click", closeDialog);
  dialog.addEventListener("close", () => {
    if (!suspending) return;
    body.querySelector(`tr[data-rule-id="${suspending.id}"] [data-action="suspend"]`)?.focus();
    suspending = null;
  });
  suspendForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const reason = suspendForm.reason.value.trim();
    if (!reason) return showErrors(suspendForm, { fields: [{ field: "reason", message: "Say why: the owner reads it." }] });
    await submitting(suspendForm, async () => {
      const rule = suspending;
      const suspended = await post(`/admin/autopilot/rules/${rule.id}/suspend`, { reason });
      suspending = null;
      dialog.close();
      await replace(suspended, "resume");
      toast(`“${rule.name}” is suspended.`);
    });
  });

  filterForm.addEventListener("submit", (event) => {
    event.preventDefault();
    filter = {
      status: filterForm.status.value, mode: filterForm.mode.value, location_id: filterForm.location_id.value,
      user_id: person.chosen()?.id,
    };
    submitting(filterForm, () => load(true));
  });
  $("#filter-clear", filterForm).addEventListener("click", () => {
    filterForm.reset();
    person.set(null);
    clearErrors(filterForm);
    filter = {};
    load(true).catch((error) => showErrors(filterForm, error));
  });
  moreButton.addEventListener("click", () => busy(moreButton, async () => {
    try {
      const rows = await load(false);
      // Keyboard users continue at the first new row.
      rows[0]?.querySelector("button")?.focus();
    } catch (error) {
      toast(errorText(error), "error");
    }
  }));

  return {
    start() {
      fill(filterForm.location_id, h("option", { value: "", text: "Any" }),
        [...locationsById.values()].sort((a, b) => a.name.localeCompare(b.name)).map((l) => h("option", { value: l.id, text: l.name })));
      return load(true);
    },
  };
}
