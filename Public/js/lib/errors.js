// API errors made ready to show next to what caused them (with `showErrors` from dom.js, or `showMessage`).
import { errorText } from "./dom.js";

/** How the API words a body it cannot decode, and the field message each wording becomes. */
const bodyProblems = [
  [/^Missing field ([a-z_]+)[\w.[\]]*\.$/, () => "is required"],
  [/^Field ([a-z_]+)[\w.[\]]* is invalid: (.+)$/, (match) => match[2]],
  [/^Field ([a-z_]+)[\w.[\]]* has the wrong type/, () => "has the wrong type"],
];

/**
 * The error as `showErrors(form, …)` shows it best. The API answers a body it cannot decode (a missing field, "25:00"
 * for a time, a window that ends before it starts) with `invalid_body` and the field's name only in the text; that
 * becomes a field error of the top-level field, so it shows under its control. Field errors repeated for several
 * parts of one field are shown once.
 */
export function withFieldErrors(error) {
  if (error?.code === "invalid_body" && !error.fields?.length) {
    for (const [pattern, message] of bodyProblems) {
      const match = pattern.exec(error.message);
      if (match) return { status: error.status, code: error.code, message: error.message, fields: [{ field: match[1], message: message(match) }] };
    }
  }
  if (!error?.fields?.length) return error;
  const distinct = new Map(error.fields.map((fieldError) => [`${fieldError.field}\n${fieldError.message}`, fieldError]));
  return { status: error.status, code: error.code, message: error.message, fields: [...distinct.values()] };
}

/**
 * The server answers a taken name with 409 `already_exists` and no field; as a field error of `field` the message
 * lands under that control. Other errors stay as they are.
 */
export function clashOn(field, error) {
  if (error?.status !== 409 || error.code !== "already_exists") return error;
  return { status: error.status, code: error.code, message: error.message, fields: [{ field, message: error.message }] };
}

/** Shows `error` (or a text) in a message element outside a form, or hides the element when there is none. */
export function showMessage(element, error) {
  element.textContent = error ? errorText(error) : "";
  element.hidden = !error;
}
