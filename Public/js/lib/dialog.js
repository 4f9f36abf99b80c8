// Modal dialogs: real <dialog> elements, so focus stays inside and Escape closes them.
import { h } from "./dom.js";

let serial = 0;

/**
 * A modal `<dialog>` with a heading and `content`, put into the page (closed) and removed again once it has closed.
 * `closeButton` adds the ✕ in its head. `id` gives it a stable id.
 */
export function modal({ title, content, id = null, className = null, closeButton = false }) {
  const titleId = id ? `${id}-title` : `dialog-title-${++serial}`;
  const dialog = h("dialog", { id, class: className, "aria-labelledby": titleId },
    h("div", { class: "dialog-head" },
      h("h2", { id: titleId, text: title }),
      closeButton && h("button", { type: "button", class: "icon-button", "aria-label": "Close", text: "✕", onClick: () => dialog.close() })),
    h("div", { class: "dialog-body" }, content));
  dialog.addEventListener("close", () => dialog.remove());
  // Inside <main>, so its content belongs to a landmark; as a modal it shows above everything anyway.
  (document.getElementById("main") ?? document.body).append(dialog);
  return dialog;
}

/**
 * Opens `dialog`, whose `method="dialog"` form closes it, and resolves true when its button with `value="confirm"`
 * closed it, false for any other button or Escape. Focus goes back to where it was unless the answer was yes: what
 * follows a yes decides where focus goes.
 */
function ask(dialog) {
  const opener = document.activeElement;
  dialog.returnValue = "";
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      const yes = dialog.returnValue === "confirm";
      if (!yes && opener?.isConnected) opener.focus();
      resolve(yes);
    }, { once: true });
    dialog.showModal();
  });
}

/**
 * Asks a question in a modal dialog; resolves true when the person confirms. A `danger` question (deleting,
 * cancelling) starts on the cancelling button, so a stray Enter does no harm. `ids` (`{dialog, confirm}`) give the
 * dialog and its confirming button stable ids.
 */
export function confirm({ title, message = null, confirmLabel = "OK", cancelLabel = "Cancel", danger = false, ids = {} }) {
  const messageId = message ? `confirm-message-${++serial}` : null;
  const yes = h("button", { type: "submit", value: "confirm", id: ids.confirm ?? null, class: danger ? "button danger" : "button primary", text: confirmLabel });
  const no = h("button", { type: "submit", value: "cancel", class: "button", text: cancelLabel });
  const dialog = modal({
    title, id: ids.dialog ?? null, className: "confirm-dialog",
    content: h("form", { method: "dialog", class: "stack" },
      message && h("p", { id: messageId, text: message }),
      h("div", { class: "button-row" }, yes, no)),
  });
  if (messageId) dialog.setAttribute("aria-describedby", messageId);
  const answer = ask(dialog);
  (danger ? no : yes).focus();
  return answer;
}
