// Copying a value shown in a read-only field (a feed link, a new token's secret).
import { toast } from "./dom.js";

/**
 * Copies the field's value. Where the clipboard API is unavailable the text is selected instead, so that the
 * person can copy it with the keyboard; the toast says which happened.
 */
export async function copyField(input) {
  try {
    await navigator.clipboard.writeText(input.value);
    toast("Copied to the clipboard.");
  } catch {
    input.focus();
    input.select();
    toast("Selected: press Ctrl+C (⌘C on a Mac) to copy.");
  }
}
