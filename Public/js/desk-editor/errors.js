// Showing API errors where they belong on this page.
import { errorText } from "../lib/dom.js";

/**
 * The server answers a taken name with 409 `already_exists` and no field; as a field error of `field` the
 * message lands under that control (via `showErrors`). Other errors stay as they are.
 */
export function clashOn(field, error) {
  if (error?.status !== 409 || error.code !== "already_exists") return error;
  return { status: error.status, code: error.code, message: error.message, fields: [{ field, message: error.message }] };
}

/** Shows `error` in a `role="alert"` element outside a form, or hides the element when there is none. */
export function showMessage(element, error) {
  element.textContent = error ? errorText(error) : "";
  element.hidden = !error;
}
