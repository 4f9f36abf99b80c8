// Webhook endpoints, the same for a person's own (Settings, /me/webhooks) and a location's (Admin,
// /locations/{id}/webhooks): the list with each endpoint's state, adding one (its signing secret shown once, with
// how to check a signature), editing, switching off and on, a test event, deleting, and each endpoint's delivery log.
import { del, get, patch, post } from "../lib/api.js";
import { copyField } from "../lib/clipboard.js";
import { confirm, modal } from "../lib/dialog.js";
import { $$, busy, clearErrors, errorText, fill, h, showErrors, toast } from "../lib/dom.js";
import { withFieldErrors } from "../lib/errors.js";
import { formatDateTime, ownZone } from "../lib/format.js";
import { submitting } from "../lib/forms.js";
import { showLoadError, clearLoadError } from "../lib/load-errors.js";
import { plural } from "../lib/words.js";
import { deliveryLog } from "./deliveries.js";

/** Events about bookings, offered before the notification kinds. */
const bookingEvents = [
  { type: "booking.created", title: "Booking created", group: "Booking events" },
  { type: "booking.changed", title: "Booking changed", group: "Booking events" },
  { type: "booking.cancelled", title: "Booking cancelled", group: "Booking events" },
];

/** Every event type an endpoint can choose: the booking events and every kind of notification (`kinds` of the settings). */
export function webhookEventTypes(kinds) {
  return [...bookingEvents, ...kinds.map((kind) => ({ type: kind.kind, title: kind.title, group: kind.group }))];
}

let serial = 0;

/**
 * Runs the endpoints of `basePath` inside `root`. `eventTypes` from `webhookEventTypes`; `idPrefix` keeps element ids
 * apart when a page has more than one; `headingLevel` is the level of each endpoint's heading; `whose` ends the empty
 * list's sentence ("for you", "for this location"). Returns `{reload}`.
 */
export function webhookManager(root, { basePath, eventTypes, idPrefix, headingLevel = 3, whose = "" }) {
  let webhooks = [];
  const secretBox = h("div", { class: "notice info webhook-secret", id: `${idPrefix}-webhook-secret`, hidden: true });
  const summary = h("p", { class: "muted webhook-summary", role: "status" });
  const list = h("ul", { class: "plain-list webhook-list", id: `${idPrefix}-webhook-list` });
  const form = webhookForm({ idPrefix: `${idPrefix}-new`, eventTypes, submitLabel: "Add webhook" });
  form.id = `${idPrefix}-webhook-form`;
  form.hidden = true;
  const addButton = h("button", {
    type: "button", class: "button primary", id: `${idPrefix}-webhook-add`, text: "Add webhook",
    "aria-expanded": "false", "aria-controls": form.id,
  });
  fill(root, secretBox, summary, list, h("div", { class: "button-row webhook-add-row" }, addButton), form);

  const showForm = (shown) => {
    form.hidden = !shown;
    addButton.setAttribute("aria-expanded", String(shown));
    if (shown) form.elements.url.focus();
    else { form.reset(); clearErrors(form); }
  };
  addButton.addEventListener("click", () => showForm(form.hidden));
  form.querySelector("[data-action=cancel]").addEventListener("click", () => { showForm(false); addButton.focus(); });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = readForm(form);
    if (!values) return;
    submitting(form, async () => {
      const created = await post(basePath, values);
      webhooks.push({ ...created, secret: undefined });
      render();
      showForm(false);
      showSecret(created);
      toast("Webhook added.");
    }, { explain: fieldsOfForm });
  });

  async function load() {
    root.setAttribute("aria-busy", "true");
    try {
      webhooks = await get(basePath);
      clearLoadError(root);
      render();
    } catch (error) {
      summary.textContent = "";
      showLoadError(root, error, { what: "The webhooks", retry: load });
    } finally {
      root.removeAttribute("aria-busy");
    }
  }

  function render() {
    // Open delivery logs stay open across a re-render.
    const openLogs = new Set($$("[data-log-open]", list).map((item) => item.dataset.webhookId));
    fill(list, webhooks.map((webhook) => endpointItem(webhook, openLogs.has(webhook.id))));
    summary.textContent = webhooks.length === 0
      ? `No webhooks ${whose ? `${whose} ` : ""}yet. A webhook lets another system hear about events as they happen.`
      : `${plural(webhooks.length, "webhook")}, ${webhooks.filter((w) => w.active).length} active.`;
  }

  function endpointItem(webhook, logOpen) {
    const headingId = `${idPrefix}-webhook-${webhook.id}`;
    const logBox = h("div", { class: "webhook-log", id: `${headingId}-log`, hidden: true });
    const logButton = h("button", {
      type: "button", class: "button small", text: "Delivery log", "aria-expanded": "false", "aria-controls": logBox.id,
      "aria-describedby": headingId, dataset: { action: "log" },
    });
    const action = (text, name, handler, extra = {}) => h("button", {
      type: "button", class: `button small ${extra.danger ? "danger" : ""}`.trim(), text, "aria-describedby": headingId,
      dataset: { action: name }, onClick: (event) => handler(webhook, event.currentTarget),
    });
    const item = h("li", { class: "webhook", dataset: { webhookId: webhook.id, active: String(webhook.active) } },
      h("div", { class: "webhook-head" },
        h(`h${headingLevel}`, { class: "webhook-url", id: headingId }, webhook.url),
        webhook.active
          ? h("span", { class: "badge ok", text: "Active" })
          : h("span", { class: "badge danger", text: "Switched off" })),
      webhook.description && h("p", { class: "webhook-description", text: webhook.description }),
      !webhook.active && h("p", { class: "webhook-off-reason", text: webhook.disabled_reason ? `Switched off: ${webhook.disabled_reason}` : "Switched off." }),
      webhook.consecutive_failures > 0 && h("p", { class: "webhook-failures" },
        `${plural(webhook.consecutive_failures, "failed delivery", "failed deliveries")} in a row`,
        webhook.active ? "; after 20 the webhook is switched off." : "."),
      h("p", { class: "webhook-events" }, h("span", { class: "muted", text: "Events: " }), eventsText(webhook.event_types, eventTypes)),
      h("p", { class: "muted webhook-dates", text: `Added ${formatDateTime(webhook.created_at, ownZone())}` }),
      h("div", { class: "button-row webhook-actions" },
        action("Edit", "edit", edit),
        webhook.active ? action("Switch off", "switch-off", (w, b) => setActive(w, b, false)) : action("Switch on", "switch-on", (w, b) => setActive(w, b, true)),
        action("Send test event", "test", sendTest),
        logButton,
        action("Delete", "delete", remove, { danger: true })),
      logBox);
    let log = null;
    const toggleLog = (open) => {
      logBox.hidden = !open;
      logButton.setAttribute("aria-expanded", String(open));
      if (open) item.dataset.logOpen = ""; else delete item.dataset.logOpen;
      if (open && !log) {
        log = deliveryLog({
          path: `${basePath}/${webhook.id}/deliveries`, label: `Deliveries to ${webhook.url}`,
          redeliverPath: (delivery) => `${basePath}/${webhook.id}/deliveries/${delivery.id}/redeliver`,
          emptyText: "Nothing sent yet. Send a test event to try the endpoint.",
        });
        logBox.append(log.element);
      }
      if (open) log.reload();
    };
    logButton.addEventListener("click", () => toggleLog(logBox.hidden));
    item.reloadLog = () => { if (!logBox.hidden) log?.reload(); };
    if (logOpen) toggleLog(true);
    return item;
  }

  const itemOf = (webhook) => list.querySelector(`[data-webhook-id="${CSS.escape(webhook.id)}"]`);
  const replace = (updated) => {
    webhooks = webhooks.map((w) => (w.id === updated.id ? updated : w));
    render();
  };

  async function setActive(webhook, button, active) {
    try {
      const updated = await busy(button, () => patch(`${basePath}/${webhook.id}`, { active }));
      replace(updated);
      itemOf(updated)?.querySelector(`[data-action=${active ? "switch-off" : "switch-on"}]`)?.focus();
      toast(active ? "Webhook switched on: its failures are forgotten." : "Webhook switched off: nothing is sent to it until it is switched on.");
    } catch (error) {
      toast(errorText(error), "error");
    }
  }

  async function sendTest(webhook, button) {
    try {
      await busy(button, () => post(`${basePath}/${webhook.id}/test`));
      toast("Test event queued: see the delivery log.");
      const item = itemOf(webhook);
      if (item?.querySelector("[data-action=log]").getAttribute("aria-expanded") === "false") item.querySelector("[data-action=log]").click();
      else item?.reloadLog();
    } catch (error) {
      toast(errorText(error), "error");
    }
  }

  async function remove(webhook) {
    const sure = await confirm({
      title: "Delete this webhook?", confirmLabel: "Delete webhook", cancelLabel: "Keep it", danger: true,
      message: `${webhook.url} gets no more events, and deliveries still waiting for it are dropped. This cannot be undone.`,
      ids: { dialog: `${idPrefix}-webhook-delete-dialog`, confirm: `${idPrefix}-webhook-delete-confirm` },
    });
    if (!sure) return;
    const index = webhooks.findIndex((w) => w.id === webhook.id);
    try {
      await del(`${basePath}/${webhook.id}`);
      webhooks = webhooks.filter((w) => w.id !== webhook.id);
      render();
      const neighbour = webhooks[index] ?? webhooks[index - 1];
      (neighbour ? itemOf(neighbour).querySelector("[data-action=delete]") : addButton).focus();
      toast("Webhook deleted.");
    } catch (error) {
      toast(errorText(error), "error");
    }
  }

  function edit(webhook, opener) {
    const editForm = webhookForm({ idPrefix: `${idPrefix}-edit-${++serial}`, eventTypes, values: webhook, submitLabel: "Save changes" });
    const dialog = modal({ title: "Edit webhook", content: editForm, className: "webhook-dialog", closeButton: true });
    editForm.querySelector("[data-action=cancel]").addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => { if (opener.isConnected) opener.focus(); else itemOf(webhook)?.querySelector("[data-action=edit]")?.focus(); });
    editForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const values = readForm(editForm);
      if (!values) return;
      submitting(editForm, async () => {
        replace(await patch(`${basePath}/${webhook.id}`, values));
        dialog.close();
        toast("Webhook saved.");
      }, { explain: fieldsOfForm });
    });
    dialog.showModal();
    editForm.elements.url.focus();
  }

  function showSecret(created) {
    const inputId = `${idPrefix}-webhook-secret-value`;
    fill(secretBox,
      h("p", {}, h("strong", { text: "Copy the signing secret now:" }),
        " it is shown only this once. Keep it in the receiving system, like a password; if it is lost, delete the webhook and add it again."),
      h("div", { class: "field" },
        h("label", { for: inputId, text: `Signing secret for ${created.url}` }),
        h("div", { class: "copy-row" },
          h("input", { id: inputId, readonly: true, value: created.secret, autocomplete: "off", spellcheck: "false" }),
          h("button", { type: "button", class: "button", text: "Copy", onClick: () => copyField(document.getElementById(inputId)) }))),
      signatureHelp(),
      h("button", {
        type: "button", class: "button quiet small", text: "I have copied it",
        onClick: () => { fill(secretBox); secretBox.hidden = true; itemOf(created)?.querySelector("[data-action=edit]")?.focus(); },
      }));
    secretBox.hidden = false;
    const input = document.getElementById(inputId);
    input.focus();
    input.select();
  }

  load();
  return { reload: load };
}

/** How a receiver checks that a call came from DeskPilot: the header, what is signed, and a few lines of code. */
function signatureHelp() {
  return h("details", { class: "signature-help" },
    h("summary", { text: "How to check a delivery's signature" }),
    h("p", {}, "Every call is a JSON ", h("code", { text: "POST" }), " with the header ",
      h("code", { text: "DeskPilot-Signature: t=1767225600,v1=5d41402a…" }), ". ",
      h("code", { text: "v1" }), " is the hex HMAC-SHA256 of the text ", h("code", { text: "t.body" }),
      " (the ", h("code", { text: "t" }), " value, a full stop, then the raw request body exactly as received), keyed with the "
      + "whole secret as shown. Compute it yourself, compare in constant time, and refuse calls whose ", h("code", { text: "t" }),
      " is more than five minutes old."),
    h("p", {}, h("code", { text: "DeskPilot-Event" }), " names the event type; ", h("code", { text: "DeskPilot-Delivery" }),
      " stays the same when a delivery is retried, so a receiver can ignore repeats. Failed calls are retried for up to 24 hours; "
      + "after 20 failures in a row the webhook is switched off and you are told."),
    h("pre", { class: "signature-code" }, h("code", {
      text: "import hashlib, hmac, time\n\n"
        + "def valid(secret, header, raw_body):\n"
        + "    parts = dict(item.split(\"=\", 1) for item in header.split(\",\"))\n"
        + "    signed = parts[\"t\"].encode() + b\".\" + raw_body\n"
        + "    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()\n"
        + "    fresh = abs(time.time() - int(parts[\"t\"])) < 300\n"
        + "    return fresh and hmac.compare_digest(expected, parts[\"v1\"])",
    })));
}

/** The chosen event types in words: all of them, or each one's title with its type. */
function eventsText(chosen, eventTypes) {
  if (eventTypes.length > 0 && eventTypes.every((e) => chosen.includes(e.type))) return `all ${eventTypes.length} event types`;
  return h("span", { class: "event-chips" }, chosen.map((type) => {
    const known = eventTypes.find((e) => e.type === type);
    return h("code", { class: "event-type", title: known?.title ?? null, text: type });
  }));
}

/**
 * The form of an endpoint: URL, description and the event types, grouped, each with its title and code. `values`
 * fills it for an edit; a new endpoint starts with the booking events chosen.
 */
function webhookForm({ idPrefix, eventTypes, values = null, submitLabel }) {
  const chosen = new Set(values?.event_types ?? bookingEvents.map((e) => e.type));
  const groups = new Map();
  for (const event of eventTypes) groups.set(event.group, [...(groups.get(event.group) ?? []), event]);
  const urlInput = h("input", {
    id: `${idPrefix}-url`, name: "url", type: "url", inputmode: "url", maxlength: "2000", autocomplete: "off", spellcheck: "false",
    placeholder: "https://example.com/deskpilot", "aria-describedby": `${idPrefix}-url-hint`, required: true,
  });
  urlInput.value = values?.url ?? "";
  const description = h("input", {
    id: `${idPrefix}-description`, name: "description", maxlength: "200", autocomplete: "off", "aria-describedby": `${idPrefix}-description-hint`,
  });
  description.value = values?.description ?? "";
  const boxes = () => $$("input[name=event_types]", form);
  const form = h("form", { class: "stack webhook-form", novalidate: true },
    h("div", { class: "form-row" },
      h("div", { class: "field webhook-url-field" },
        h("label", { for: urlInput.id, text: "Endpoint URL" }), urlInput,
        h("p", { class: "hint", id: `${idPrefix}-url-hint`, text: "An https address that accepts a JSON POST; addresses inside a private network are refused unless the server allows them." })),
      h("div", { class: "field" },
        h("label", { for: description.id, text: "Description" }), description,
        h("p", { class: "hint", id: `${idPrefix}-description-hint`, text: "Optional: what receives the events, up to 200 characters." }))),
    h("fieldset", { class: "field webhook-events-field", dataset: { field: "event_types" } },
      h("legend", { text: "Events to send" }),
      h("div", { class: "button-row" },
        h("button", { type: "button", class: "button small quiet", text: "Choose all", onClick: () => { for (const box of boxes()) box.checked = true; } }),
        h("button", { type: "button", class: "button small quiet", text: "Choose none", onClick: () => { for (const box of boxes()) box.checked = false; } })),
      h("div", { class: "event-groups" }, [...groups].map(([group, events]) => h("div", { class: "event-group" },
        h("p", { class: "event-group-title", text: group }),
        events.map((event) => h("label", { class: "check event-choice" },
          h("input", { type: "checkbox", name: "event_types", value: event.type, checked: chosen.has(event.type) }),
          h("span", {}, event.title, " ", h("code", { class: "event-type", text: event.type })))))))),
    h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
    h("div", { class: "button-row" },
      h("button", { type: "submit", class: "button primary", text: submitLabel }),
      h("button", { type: "button", class: "button quiet", text: "Cancel", dataset: { action: "cancel" } })));
  return form;
}

/** The form's values, or null (with the problem shown) when something needed is missing. */
function readForm(form) {
  clearErrors(form);
  const values = {
    url: form.elements.url.value.trim(),
    description: form.elements.description.value.trim(),
    event_types: $$("input[name=event_types]:checked", form).map((box) => box.value),
  };
  const problems = [
    !values.url && { field: "url", message: "Enter the address DeskPilot should call." },
    values.event_types.length === 0 && { field: "event_types", message: "Choose at least one event." },
  ].filter(Boolean);
  if (problems.length) {
    showErrors(form, { fields: problems });
    return null;
  }
  return values;
}

/** Field errors of a list (`event_types[2]`) belong under the list's fieldset. */
function fieldsOfForm(error) {
  const shaped = withFieldErrors(error);
  if (!shaped?.fields?.length) return shaped;
  const fields = shaped.fields.map((f) => ({ ...f, field: f.field.replace(/\[\d+\]$/, "") }));
  return { status: shaped.status, code: shaped.code, message: shaped.message, fields };
}
