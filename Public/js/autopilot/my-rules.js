// The person's own rules (`#rules-list`): pause, resume, change and delete, kept current by live status changes.
import { del, get, post } from "../lib/api.js";
import { confirm } from "../lib/dialog.js";
import { busy, errorText, fill, h, toast } from "../lib/dom.js";
import { ruleItem, ruleSummary } from "./rule-card.js";

export function createMyRules({ list, onEdit, onChange }) {
  let rules = [];
  let renderSerial = 0;

  /** Draws the list; focus goes to `focus` ({id, action}) or stays on the button it was on. */
  async function render(focus = null) {
    const serial = ++renderSerial;
    const shown = rules;
    const summaries = await Promise.all(shown.map((rule) => ruleSummary(rule)));
    if (serial !== renderSerial) return; // a later change draws the list
    const active = document.activeElement;
    focus ??= list.contains(active) && active.dataset.action
      ? { id: active.closest("li.rule").dataset.ruleId, action: active.dataset.action } : null;
    fill(list, shown.length
      ? shown.map((rule, i) => ruleItem(rule, summaries[i], { actions: actionsOf(rule) }))
      : h("li", { class: "empty", text: "No rules yet. Choose “New rule”: it asks for a desk on the days you pick, and shows here "
        + "which days are booked and what it asks for next." }));
    list.removeAttribute("aria-busy");
    if (focus) {
      const item = list.querySelector(`li.rule[data-rule-id="${focus.id}"]`);
      (item?.querySelector(`[data-action="${focus.action}"]`) ?? item?.querySelector("button"))?.focus();
    }
    onChange(shown);
  }

  function actionsOf(rule) {
    const button = (action, text, handler, kind = "") => h("button", {
      type: "button", class: `button small ${kind}`.trim(), dataset: { action }, "aria-label": `${text} “${rule.name}”`, text,
      onClick: (event) => handler(rule, event.currentTarget),
    });
    const actions = [];
    if (rule.status === "active") actions.push(button("pause", "Pause", pause));
    if (rule.status === "paused") actions.push(button("resume", "Resume", resume));
    if (rule.status === "error") actions.push(button("resume", "Try again", resume));
    if (rule.status === "suspended") actions.push(h("span", { class: "muted small-note", text: "Only an administrator can resume it." }));
    actions.push(button("edit", "Change", () => onEdit(rule)), button("delete", "Delete", remove, "danger"));
    return actions;
  }

  /** Pauses or resumes; focus lands on the button that undoes it. */
  function setStatus(action, done) {
    return (rule, control) => busy(control, async () => {
      try {
        const changed = await post(`/me/autopilot/rules/${rule.id}/${action}`);
        await upsert(changed, { id: rule.id, action: action === "pause" ? "resume" : "pause" });
        toast(`“${rule.name}” ${done}.`);
      } catch (error) {
        toast(errorText(error), "error");
      }
    });
  }

  const pause = setStatus("pause", "paused; its waiting requests were taken back");
  const resume = setStatus("resume", "is active again");

  /** Asks first; the button stays usable meanwhile so focus can return to it when the person keeps the rule. */
  async function remove(rule, control) {
    const sure = await confirm({
      title: `Delete the rule “${rule.name}”?`, confirmLabel: "Delete", cancelLabel: "Keep", danger: true,
      message: "Its requests still waiting for a desk are taken back. Desks it already booked stay booked.",
    });
    if (!sure) return;
    await busy(control, async () => {
      try {
        await del(`/me/autopilot/rules/${rule.id}`);
        rules = rules.filter((known) => known.id !== rule.id);
        await render();
        toast(`Rule “${rule.name}” deleted.`);
        document.getElementById("new-rule")?.focus();
      } catch (error) {
        toast(errorText(error), "error");
      }
    });
  }

  /** Takes in a rule as the API answered it; answers to pause and resume carry no counters, so the known ones stay. */
  function upsert(rule, focus) {
    // A new array each time: a render under way keeps the list it started with.
    const known = rules.find((other) => other.id === rule.id);
    rules = known
      ? rules.map((other) => (other === known ? { ...rule, counters: rule.counters ?? known.counters } : other))
      : [...rules, rule];
    return render(focus);
  }

  async function reload() {
    rules = await get("/me/autopilot/rules");
    await render();
  }

  /** A status change heard live; a rule not known here (made in another tab) means the list is stale. */
  function applyStatus({ id, status, reason }) {
    const rule = rules.find((known) => known.id === id);
    if (!rule) return reload();
    if (rule.status === status && (rule.status_reason ?? null) === (reason ?? null)) return null;
    return upsert({ ...rule, status, status_reason: reason ?? null });
  }

  /** Draws the eye to a rule just made: its card scrolls into view and stands out for a moment. */
  function reveal(id) {
    const item = list.querySelector(`li.rule[data-rule-id="${id}"]`);
    if (!item) return;
    item.classList.add("just-saved");
    item.scrollIntoView({ block: "nearest" });
    setTimeout(() => item.classList.remove("just-saved"), 4000);
  }

  return {
    set(all) { rules = all; return render(); },
    reveal,
    upsert,
    reload,
    applyStatus,
    ruleById: (id) => rules.find((rule) => rule.id === id) ?? null,
  };
}
