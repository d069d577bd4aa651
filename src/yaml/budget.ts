/**
 * What parsing a YAML text may cost, bounded before it is parsed. The `yaml` library builds a node of
 * some kilobyte for every scalar, so a byte cap alone is no bound: 1 MiB of `[0,0,0,...]` takes some
 * 600 MB and two seconds to parse. Every value after the first (a scalar, a key, a map, a sequence)
 * needs a separator (a line break, or in flow style a comma, colon or bracket; a block item a dash), so
 * counting those bounds the values, cheaply, on the bytes as they are (the parser adds a pair object
 * per map entry, so its objects are at most about twice as many).
 */

/** Values a YAML text this tool reads from a pull request or a payload may hold; real ones hold a few thousand. */
export const YAML_MAX_NODES = 100_000;

/** An upper bound of the values the parser builds for `text` (see the module comment). */
export function yamlNodeBound(text: string): number {
  let n = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // \n , : - [ {
    if (c === 0x0a || c === 0x2c || c === 0x3a || c === 0x2d || c === 0x5b || c === 0x7b) n++;
  }
  return n;
}

/** Why `text` is not parsed, or undefined when it is within `max` nodes. */
export function yamlOverBudget(text: string, max = YAML_MAX_NODES): string | undefined {
  const bound = yamlNodeBound(text);
  return bound > max ? `it may hold up to ${bound} YAML values (line breaks, commas, colons, dashes, brackets), more than the ${max} this tool parses; real files hold a few thousand` : undefined;
}
