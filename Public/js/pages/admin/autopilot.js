// Autopilot oversight for superusers: everyone's rules with suspend and resume, one person's limit and autopilot,
// and the statistics.
import { $, errorText, toast } from "../../lib/dom.js";
import { runPage } from "../../lib/session.js";
import { renderAdminNav } from "../../admin/common.js";
import { createOversightPerson } from "../../autopilot/oversight-person.js";
import { createOversightRules } from "../../autopilot/oversight-rules.js";
import { showStats } from "../../autopilot/oversight-stats.js";
import { locations } from "../../autopilot/places.js";

runPage(async ({ me }) => {
  renderAdminNav(me, "autopilot");
  if (!me.user.is_superuser) {
    const message = $("#autopilot-admin-message");
    message.textContent = "Only administrators can oversee autopilot rules. Your own rules are on the Autopilot page.";
    message.hidden = false;
    return;
  }
  $("#autopilot-admin").hidden = false;
  const locationsById = new Map((await locations()).map((location) => [location.id, location]));
  const person = createOversightPerson({ section: $("#autopilot-person"), locationsById });
  const rules = createOversightRules({
    filterForm: $("#rules-filter"), table: $("#admin-rules-table"), moreButton: $("#admin-rules-more"),
    count: $("#admin-rules-count"), dialog: $("#suspend-dialog"), locationsById, onPerson: (user) => person.open(user),
  });
  await Promise.all([
    rules.start(),
    showStats($("#autopilot-stats"), locationsById).catch((error) => toast(`Statistics: ${errorText(error)}`, "error")),
  ]);
});
