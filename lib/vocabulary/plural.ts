export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${nounFor(n, one, many)}`;
}

export function nounFor(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}
