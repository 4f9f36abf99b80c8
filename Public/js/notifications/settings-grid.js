// Settings → Notifications: which channel carries each kind of notification, a grid of kinds (grouped) × channels
// from GET /me/notification-settings. The inbox always gets everything; e-mail can be switched per kind where the
// server sends mail and the person has an address. Each change is saved at once (PUT with just that kind).
import { put } from "../lib/api.js";
import { $, errorText, fill, h, toast } from "../lib/dom.js";
import { showMessage } from "../lib/errors.js";

const channelNames = { inbox: "Inbox", email: "E-mail" };
const channelName = (channel) => channelNames[channel] ?? channel;

/**
 * Fills the grid in `section` from `settings` (the answer of GET /me/notification-settings). `me` (GET /me) tells
 * why e-mail is not offered: no address on the account, or no mail server.
 */
export function showNotificationGrid(section, settings, me) {
  const table = $("#notification-grid", section);
  const error = $("#notification-grid-error", section);
  const channels = settings.channels;
  showUnavailable($("#notification-channel-notes", section), channels, me);

  const render = (current) => {
    const groups = Map.groupBy ? Map.groupBy(current.kinds, (kind) => kind.group) : groupBy(current.kinds);
    fill(table,
      h("caption", { class: "visually-hidden", text: "Channels for each kind of notification" }),
      h("thead", {}, h("tr", {},
        h("th", { scope: "col", text: "Notification" }),
        channels.map((info) => h("th", { scope: "col", class: "channel-column", text: channelName(info.channel) })))),
      [...groups].map(([group, kinds]) => h("tbody", {},
        h("tr", { class: "grid-group" }, h("th", { scope: "rowgroup", colspan: String(channels.length + 1), text: group })),
        kinds.map((kind) => kindRow(kind, channels, save)))));
  };

  async function save(kind, channel, box) {
    showMessage(error, null);
    box.disabled = true;
    try {
      const saved = await put("/me/notification-settings", { kinds: [{ kind: kind.kind, channels: { [channel]: box.checked } }] });
      const now = saved.kinds.find((k) => k.kind === kind.kind);
      box.checked = now?.channels[channel] ?? box.checked;
      kind.channels[channel] = box.checked;
      toast(`${channelName(channel)} for “${kind.title}”: ${box.checked ? "on" : "off"}.`, "info", { key: "notification-setting" });
    } catch (failure) {
      box.checked = !box.checked; // what the server still has
      showMessage(error, `“${kind.title}” could not be changed: ${errorText(failure)}`);
    } finally {
      box.disabled = false;
    }
  }

  render(settings);
  table.removeAttribute("aria-busy");
}

/** `Map.groupBy` where the browser lacks it: groups in the order they first appear. */
function groupBy(kinds) {
  const groups = new Map();
  for (const kind of kinds) groups.set(kind.group, [...(groups.get(kind.group) ?? []), kind]);
  return groups;
}

function kindRow(kind, channels, save) {
  const rowId = `notification-kind-${kind.kind.replaceAll(".", "-")}`;
  return h("tr", { dataset: { kind: kind.kind } },
    h("th", { scope: "row", id: rowId, text: kind.title }),
    channels.map((info) => h("td", { class: "channel-cell", dataset: { channel: info.channel } }, channelControl(kind, info, rowId, save))));
}

function channelControl(kind, info, rowId, save) {
  const label = `${kind.title}: ${channelName(info.channel)}`;
  if (info.always_on) {
    return h("label", { class: "check channel-check" },
      h("input", { type: "checkbox", checked: true, disabled: true, "aria-label": `${label} (always)` }),
      h("span", { class: "muted channel-note", "aria-hidden": "true", text: "always" }));
  }
  if (!info.available) {
    return h("span", { class: "muted channel-off" }, h("span", { "aria-hidden": "true", text: "—" }),
      h("span", { class: "visually-hidden", text: "not available" }));
  }
  const box = h("input", {
    type: "checkbox", checked: !!kind.channels[info.channel], "aria-label": label, "aria-describedby": rowId,
  });
  box.addEventListener("change", () => save(kind, info.channel, box));
  return h("label", { class: "check channel-check" }, box);
}

/** Says why a channel cannot reach the person, so an empty column does not look like a fault. */
function showUnavailable(box, channels, me) {
  const notes = channels.filter((info) => !info.available).map((info) => {
    let text = `${channelName(info.channel)} is not available.`;
    if (info.channel === "email") {
      text = me.user.email
        ? "E-mail is not set up on this server, so notifications reach you in the inbox only. An administrator can set it up."
        : "Your account has no e-mail address, so notifications reach you in the inbox only. An administrator can add one.";
    }
    return h("p", { class: "notice info channel-unavailable", dataset: { channel: info.channel }, text });
  });
  fill(box, notes);
  box.hidden = notes.length === 0;
}
