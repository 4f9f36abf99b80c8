// "What is a round?": short disclosures that explain the words of fair allocation where they appear, worded once in
// `lib/words.js`.
import { h } from "../lib/dom.js";
import { glossary } from "../lib/words.js";

/** A `<details>` answering the question of one of the glossary's words (`round`, `draw`, `waitlist`). */
export function explainer(word) {
  const entry = glossary[word];
  return h("details", { class: "explainer", dataset: { word } },
    h("summary", { text: entry.question }),
    h("p", { text: entry.answer }));
}
