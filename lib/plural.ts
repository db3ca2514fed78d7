/**
 * A count with its noun, as the console writes it everywhere: "1 session", "2 sessions", "1,024 sessions".
 * Client-safe. `many` is for the nouns that do not just take an s.
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${nounFor(n, one, many)}`;
}

/** The noun alone, in the form that goes with `n`: nounFor(1, 'event') is "event", nounFor(0, 'event') "events". */
export function nounFor(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}
