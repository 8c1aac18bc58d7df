declare const NO_PROTOTYPE: unique symbol;

/**
 * A record keyed by ids, some of which arrive from players. It has no prototype, so an id such
 * as "__proto__", "constructor" or "toString" is only ever a key: it can neither reach
 * Object.prototype nor read an inherited function as a balance. The brand makes the type checker
 * refuse a plain `{}` where an IdRecord belongs. JSON (and so the state hash) is the same as a
 * plain object's.
 */
export type IdRecord<T> = { [id: string]: T } & { readonly [NO_PROTOTYPE]: true };

/** A fresh null-prototype record, optionally filled from entries. */
export function idRecord<T>(entries?: Iterable<readonly [string, T]>): IdRecord<T> {
  const record = Object.create(null) as IdRecord<T>;
  if (entries) for (const [key, value] of entries) record[key] = value;
  return record;
}

/** A shallow copy that keeps the null prototype (a spread would give the copy Object.prototype back). */
export function copyIdRecord<T>(record: Readonly<Record<string, T>>, copy: (value: T) => T = (value) => value): IdRecord<T> {
  const out = idRecord<T>();
  for (const key of Object.keys(record)) out[key] = copy(record[key] as T);
  return out;
}
