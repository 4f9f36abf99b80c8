// Settings → Notifications and Settings → Webhooks: the channel grid and the person's own webhook endpoints. Both
// read the kinds of notification once; the webhooks offer them as event types.
import { get } from "../lib/api.js";
import { $ } from "../lib/dom.js";
import { clearLoadError, showLoadError } from "../lib/load-errors.js";
import { showNotificationGrid } from "./settings-grid.js";
import { webhookEventTypes, webhookManager } from "./webhooks.js";

export async function setUpNotificationSections(me) {
  const grid = $("#notification-grid");
  const webhooks = $("#my-webhooks");
  let settings;
  try {
    settings = await get("/me/notification-settings");
  } catch (error) {
    if (error?.status === 401) throw error;
    showLoadError($("#notifications"), error, { what: "Your notification settings", retry: () => setUpNotificationSections(me) });
    showLoadError($("#webhooks"), error, { what: "Your webhooks", retry: () => setUpNotificationSections(me) });
    grid.removeAttribute("aria-busy");
    webhooks.removeAttribute("aria-busy");
    return;
  }
  clearLoadError($("#notifications"));
  clearLoadError($("#webhooks"));
  showNotificationGrid($("#notifications"), settings, me);
  webhookManager(webhooks, { basePath: "/me/webhooks", eventTypes: webhookEventTypes(settings.kinds), idPrefix: "my", whose: "of yours" });
  // The page was opened at one of these sections (a notification's link, an e-mail's unsubscribe link): the sections
  // above it have grown since the browser scrolled there.
  const target = location.hash && document.getElementById(location.hash.slice(1));
  if (target && (target.id === "notifications" || target.id === "webhooks")) target.scrollIntoView();
}
