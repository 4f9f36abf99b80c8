// Admin → Notifications, for administrators: the server's e-mail set-up (GET /admin/mail), a test mail through the
// outbox, and the deliveries of the whole outbox with "Redeliver" for what failed.
import { get, post } from "../lib/api.js";
import { $, fill, h, toast } from "../lib/dom.js";
import { submitting } from "../lib/forms.js";
import { showLoadError, clearLoadError } from "../lib/load-errors.js";
import { deliveryLog } from "./deliveries.js";

const security = {
  starttls: "STARTTLS (upgraded after connecting)",
  implicit: "TLS from the start (implicit TLS)",
  none: "None: plain text, for a relay on this machine or network",
};

export async function setUpMail(me) {
  $("#mail").hidden = false;
  $("#deliveries").hidden = false;
  const log = setUpDeliveries();
  const form = $("#mail-test-form");
  form.elements.to.value = me.user.email ?? "";
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const to = form.elements.to.value.trim();
    submitting(form, async () => {
      if (!to) throw { fields: [{ field: "to", message: "Enter the address to send the test mail to." }] };
      await post("/admin/mail/test", { to });
      toast(`Test mail to ${to} queued.`);
      // The new delivery is pending: show every status so that it is in the list.
      $("#deliveries-status").value = "";
      log.reload();
      loadStatus();
    });
  });
  await loadStatus();
}

async function loadStatus() {
  const box = $("#mail-status");
  box.setAttribute("aria-busy", "true");
  try {
    const mail = await get("/admin/mail");
    clearLoadError(box);
    fill(box, statusView(mail));
    $("#mail-test-form").hidden = !mail.configured;
  } catch (error) {
    fill(box);
    showLoadError(box, error, { what: "The e-mail set-up", retry: loadStatus });
  } finally {
    box.removeAttribute("aria-busy");
  }
}

function statusView(mail) {
  const counts = h("p", { class: "mail-counts" },
    h("span", { class: "badge ok", text: `${mail.delivered_24h} delivered` }), " ",
    h("span", { class: `badge ${mail.failed_24h ? "danger" : ""}`.trim(), text: `${mail.failed_24h} failed` }),
    " in the last 24 hours; ", h("span", { class: "badge", text: `${mail.pending} waiting` }), " to be sent.");
  if (!mail.configured) {
    return [
      h("p", { class: "notice info mail-off", id: "mail-not-configured" }, "E-mail is not set up: notifications reach people in "
        + "their inbox only, and e-mail is not offered in their settings. To send mail, start the server with ",
        h("code", { text: "DESKPILOT_SMTP_URL" }), " (", h("code", { text: "smtp://user:password@host:587?tls=starttls" }),
        ") and ", h("code", { text: "DESKPILOT_MAIL_FROM" }), "."),
      counts,
    ];
  }
  const row = (term, value) => value !== undefined && value !== null && value !== "" && [h("dt", { text: term }), h("dd", {}, value)];
  return [
    h("p", { class: "mail-on" }, h("span", { class: "badge ok", text: "Set up" }), " E-mail goes out through this server:"),
    h("dl", { class: "mail-settings", id: "mail-settings" },
      row("Server", h("code", { text: mail.port ? `${mail.host}:${mail.port}` : mail.host })),
      row("Security", security[mail.tls] ?? mail.tls),
      row("From", mail.from),
      row("Signs in as", mail.username ?? "No sign-in (a relay that needs none)")),
    counts,
  ];
}

function setUpDeliveries() {
  const status = $("#deliveries-status");
  const channel = $("#deliveries-channel");
  const log = deliveryLog({
    path: "/admin/deliveries", channel: true, label: "Deliveries of the outbox",
    params: () => ({ status: status.value, channel: channel.value }),
    redeliverPath: (delivery) => `/admin/deliveries/${delivery.id}/redeliver`,
    emptyText: "No deliveries match.",
  });
  $("#deliveries-log").append(log.element);
  status.addEventListener("change", () => log.reload());
  channel.addEventListener("change", () => log.reload());
  log.reload();
  return log;
}
