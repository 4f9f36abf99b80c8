// Words that change with a count.

/** "1 desk", "3 desks", "2 people". */
export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The words of fair allocation in plain sentences, one place for every page that uses them: `question` heads a
 * disclosure, `answer` explains.
 */
export const glossary = {
  round: {
    question: "What is a round?",
    answer: "Days open for booking a fixed number of days ahead. When a day opens, one round hands out its desks to "
      + "everyone who asked for that day before, all at once, so nobody has to be first at the keyboard.",
  },
  draw: {
    question: "What is the draw?",
    answer: "The round's order is drawn at random; people who recently went without a desk weigh more, so they tend to "
      + "get an earlier turn. In their turn each person gets the best free desk they accept. Asking earlier or more "
      + "often makes no difference.",
  },
  waitlist: {
    question: "What is the waitlist?",
    answer: "Whoever the round could not give a desk waits in draw order; a request for a day already open joins at the "
      + "end. When a matching desk frees up (a cancellation or a release), it goes automatically to the first person "
      + "waiting whom it suits.",
  },
};
