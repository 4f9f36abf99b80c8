// My autopilot: the person's rules and their editor, the live activity log, the history of what the rules asked
// for with explanations of the draws, and requests for single days.
import { get } from "../lib/api.js";
import { $, errorText, fill, h, toast } from "../lib/dom.js";
import { onReconnect, subscribe } from "../lib/live.js";
import { runPage } from "../lib/session.js";
import { debounce } from "../lib/timing.js";
import { loadInto } from "../lib/load-errors.js";
import { createActivityLog } from "../autopilot/activity-log.js";
import { explainer } from "../autopilot/glossary.js";
import { ruleStatuses } from "../autopilot/describe.js";
import { createHistory } from "../autopilot/history.js";
import { createMyRules } from "../autopilot/my-rules.js";
import { locations } from "../autopilot/places.js";
import { createRequests } from "../autopilot/requests.js";
import { createRuleForm } from "../autopilot/rule-form.js";

/** How many rules of the limit are used, and what they are doing. */
function renderOverview(box, rules, limit) {
  const counts = Object.keys(ruleStatuses).map((status) => [status, rules.filter((rule) => rule.status === status).length])
    .filter(([, n]) => n > 0);
  const full = rules.length >= limit.max_rules;
  fill(box,
    h("h2", { id: "overview-title", class: "visually-hidden", text: "Overview" }),
    h("p", { class: "overview-count" },
      h("strong", { text: `${rules.length} of ${limit.max_rules}` }),
      ` rules in use${limit.limit_is_own ? " (your limit was set by an administrator)" : ""}.`),
    h("p", { class: "overview-status", text: counts.length
      ? counts.map(([status, n]) => `${n} ${ruleStatuses[status].label.toLowerCase()}`).join(" · ")
      : "No rules yet." }),
    full && h("p", { class: "notice info", text: "You have reached your limit: delete a rule to make a new one, or ask an administrator for more." }));
  box.removeAttribute("aria-busy");
}

runPage(async ({ prefs }) => {
  fill($("#autopilot-words"), ["round", "draw", "waitlist"].map(explainer));
  const locationsById = new Map((await locations()).map((location) => [location.id, location]));
  const overviewBox = $("#autopilot-overview");
  const overview = await get("/me/autopilot");
  const limit = { max_rules: overview.max_rules, limit_is_own: overview.limit_is_own };

  let rules = null;
  const ruleOf = (id) => rules?.ruleById(id) ?? null;
  const log = createActivityLog({ list: $("#autopilot-log"), ruleOf, locationsById });
  const history = createHistory({ list: $("#autopilot-history"), moreButton: $("#history-more"), filter: $("#history-rule"),
    ruleOf, locationsById });
  const requests = createRequests({ form: $("#request-form"), list: $("#requests-list"), ruleOf,
    defaultLocationId: prefs.default_location_id });
  const editor = createRuleForm({
    section: $("#rule-editor"), defaultLocationId: prefs.default_location_id,
    onSaved: async (rule, { created }) => {
      await rules.upsert(rule, { id: rule.id, action: "edit" });
      // A new rule acts at once: its card shows what it does, and the log and its counters follow as it files requests.
      if (created) rules.reveal(rule.id);
      Promise.all([history.load(), log.load()]).catch((error) => toast(errorText(error), "error"));
    },
  });
  rules = createMyRules({
    list: $("#rules-list"),
    onEdit: (rule) => editor.openEdit(rule).catch((error) => toast(errorText(error), "error")),
    onChange: (all) => {
      renderOverview(overviewBox, all, limit);
      history.setRules(all);
      log.nameRules();
    },
  });
  $("#new-rule").addEventListener("click", () => editor.openNew().catch((error) => toast(errorText(error), "error")));

  await rules.set(overview.rules);
  await Promise.all([log.load(), history.load(), requests.start()]);

  // Counters and the open requests change with every request; a burst of changes is fetched once.
  // A refresh that fails says so on the page: the counters and requests shown may be out of date until one succeeds.
  const refresh = () => loadInto($("#main"), () => Promise.all([rules.reload(), requests.reload()]),
    { what: "The latest state of your rules and requests", retry: () => refresh() });
  const refreshSoon = debounce(refresh, 500);
  subscribe("me", (message) => {
    if (message.type === "autopilot.log") {
      log.prepend(message.entry);
      // A line about a rule may come with news its card tells (a day found booked, a request filed).
      if (message.entry.rule_id) refreshSoon();
    }
    else if (message.type === "autopilot.rule") rules.applyStatus(message.rule);
    else if (message.type === "request.updated") {
      refreshSoon();
      get(`/requests/${message.request.id}`).then(history.upsert).catch(() => {});
    }
  });
  const reloadAll = () => loadInto($("#main"), () => Promise.all([rules.reload(), log.load(), history.load(), requests.reload()]),
    { what: "Your autopilot", retry: () => reloadAll() });
  onReconnect(reloadAll);
});
