// Words that change with a count.

/** "1 desk", "3 desks", "2 people". */
export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}
