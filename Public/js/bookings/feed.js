// The personal calendar feed: a secret URL calendar apps subscribe to. The server keeps only one; creating a new
// one ends the old.
import { post } from "../lib/api.js";
import { copyField } from "../lib/clipboard.js";
import { $, busy } from "../lib/dom.js";
import { showMessage } from "../lib/errors.js";

export function wireCalendarFeed() {
  const rotate = $("#feed-rotate"), url = $("#feed-url"), error = $("#feed-error");
  rotate.addEventListener("click", () => busy(rotate, async () => {
    showMessage(error, null);
    try {
      url.value = (await post("/me/calendar-feed")).url;
      $("#feed-result").hidden = false;
      rotate.textContent = "Replace with a new link";
      url.focus();
      url.select();
    } catch (problem) {
      showMessage(error, problem);
    }
  }));
  $("#feed-copy").addEventListener("click", () => copyField(url));
}
