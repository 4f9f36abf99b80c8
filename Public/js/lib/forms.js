// Sending a form: one request at a time, and what goes wrong shown next to the field it concerns.
import { busy, clearErrors, showErrors } from "./dom.js";
import { withFieldErrors } from "./errors.js";

/**
 * Runs `work` for `form` with `button` (its submit button unless given) busy. An error `work` throws is shown in the
 * form, under the field it names, after `explain(error)` has had its say (such as naming the field a conflict is about).
 */
export async function submitting(form, work, { button = form.querySelector("[type=submit]"), explain = (error) => error } = {}) {
  clearErrors(form);
  await busy(button, async () => {
    try {
      await work();
    } catch (error) {
      showErrors(form, withFieldErrors(explain(error)));
    }
  });
}
