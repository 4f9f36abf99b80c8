// A confirmation asked in a real <dialog>: focus stays inside, Escape or "Keep" says no.
import { h } from "../lib/dom.js";

let serial = 0;

/** Resolves true when the person confirms `question`; `action` is the confirming button's text. */
export function confirmAction(question, { action = "Delete", detail = null } = {}) {
  return new Promise((resolve) => {
    const titleId = `confirm-title-${++serial}`;
    const dialog = h("dialog", { class: "confirm-dialog", "aria-labelledby": titleId },
      h("div", { class: "dialog-head" }, h("h2", { id: titleId, text: question })),
      h("div", { class: "dialog-body stack" },
        detail && h("p", { text: detail }),
        h("form", { method: "dialog", class: "button-row" },
          h("button", { type: "submit", value: "yes", class: "button danger", text: action }),
          h("button", { type: "submit", value: "no", class: "button", autofocus: true, text: "Keep" }))));
    const opener = document.activeElement;
    dialog.addEventListener("close", () => {
      dialog.remove();
      opener?.focus?.();
      resolve(dialog.returnValue === "yes");
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
