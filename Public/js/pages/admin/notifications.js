// Admin → Notifications and webhooks: administrators see the e-mail set-up and the outbox's deliveries
// (notifications/mail-admin.js); administrators and location managers keep the webhooks of the locations they manage.
import { get } from "../../lib/api.js";
import { $, fill, h } from "../../lib/dom.js";
import { sameId } from "../../lib/ids.js";
import { runPage } from "../../lib/session.js";
import { isSuperuser, managesLocation, renderAdminNav, showPageNotice } from "../../admin/common.js";
import { setUpMail } from "../../notifications/mail-admin.js";
import { webhookEventTypes, webhookManager } from "../../notifications/webhooks.js";

runPage(async ({ me }) => {
  renderAdminNav(me, "notifications");
  if (!isSuperuser(me) && me.managed_location_ids.length === 0) {
    showPageNotice("Only administrators and location managers keep notifications and webhooks.");
    return;
  }
  const [locations, settings] = await Promise.all([get("/locations"), get("/me/notification-settings")]);
  await Promise.all([
    isSuperuser(me) ? setUpMail(me) : null,
    setUpLocationWebhooks(locations.filter((place) => managesLocation(me, place.id)), webhookEventTypes(settings.kinds)),
  ]);
  $("#admin-content").removeAttribute("aria-busy");
});

/** The webhooks of one managed location at a time; the choice is kept in the address. */
function setUpLocationWebhooks(locations, eventTypes) {
  const select = $("#webhook-location");
  const box = $("#location-webhooks");
  if (locations.length === 0) {
    select.closest(".field").hidden = true;
    fill(box, h("p", { class: "muted", text: "There are no locations yet. Add one under Places first." }));
    return;
  }
  const asked = new URLSearchParams(location.search).get("location");
  const chosen = locations.find((place) => sameId(place.id, asked)) ?? locations[0];
  fill(select, locations.map((place) => h("option", { value: place.id, text: place.name, selected: place === chosen })));
  const show = () => {
    const place = locations.find((p) => sameId(p.id, select.value));
    webhookManager(box, {
      basePath: `/locations/${place.id}/webhooks`, eventTypes, idPrefix: "location", headingLevel: 3, whose: `for ${place.name}`,
    });
  };
  select.addEventListener("change", () => {
    history.replaceState(null, "", `/admin/notifications?location=${encodeURIComponent(select.value)}${location.hash}`);
    show();
  });
  show();
}
