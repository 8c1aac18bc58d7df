/**
 * Deltas between two JSON documents, so a view that changed a little sends a little: the
 * scenario views (a round's public picture, each player's private one) travel as these instead of
 * whole documents. `diff(prev, next)` lists the operations that turn `prev` into `next`;
 * `applyDelta(prev, ops)` performs them on a copy. Pure; JSON values only (no undefined, no
 * functions); keys are only ever used on null-prototype or freshly built objects.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

/**
 * One operation: `s` sets the value at path `p` (the root when `p` is empty); `d` deletes the key at
 * `p`; `t` truncates the array at `p` to `t` items; `u` puts items at the front of the array at `p`
 * (a newest-first list gaining entries shifts every index: one `u` instead of a rewrite).
 */
export type DeltaOp =
  | { p: Path; s: Json }
  | { p: Path; d: 1 }
  | { p: Path; t: number }
  | { p: Path; u: Json[] };

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Objects with an id or a key that names them, to find where a list shifted. */
function identity(value: Json | undefined): string | number | null {
  if (!value || !isObject(value)) return null;
  const id = value.id ?? value.channelId ?? value.nonce ?? value.utxoPos;
  return typeof id === "string" || typeof id === "number" ? id : null;
}

/** How many new items a list gained at its front (0 if it did not shift that way). */
function shiftedBy(prev: Json[], next: Json[]): number {
  const first = identity(prev[0]);
  if (first === null || next.length === 0) return 0;
  for (let k = 1; k <= next.length - 1 && k <= 64; k++) if (identity(next[k]) === first) return k;
  return 0;
}

function same(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function walk(prev: Json, next: Json, path: Path, out: DeltaOp[]): void {
  if (prev === next) return;
  if (Array.isArray(prev) && Array.isArray(next)) {
    let base = prev;
    const shift = shiftedBy(prev, next);
    if (shift > 0) {
      out.push({ p: path, u: next.slice(0, shift) });
      base = [...next.slice(0, shift), ...prev];
    }
    const common = Math.min(base.length, next.length);
    for (let i = shift; i < common; i++) walk(base[i]!, next[i]!, [...path, i], out);
    for (let i = common; i < next.length; i++) out.push({ p: [...path, i], s: next[i]! });
    if (base.length > next.length) out.push({ p: path, t: next.length });
    return;
  }
  if (isObject(prev) && isObject(next)) {
    for (const key of Object.keys(next)) {
      if (!Object.hasOwn(prev, key)) out.push({ p: [...path, key], s: next[key]! });
      else walk(prev[key]!, next[key]!, [...path, key], out);
    }
    for (const key of Object.keys(prev)) if (!Object.hasOwn(next, key)) out.push({ p: [...path, key], d: 1 });
    return;
  }
  if (!same(prev, next)) out.push({ p: path, s: next });
}

/** The operations that turn `prev` into `next` (none when they are equal). Whole replacement when that is shorter. */
export function diff(prev: Json, next: Json): DeltaOp[] {
  const out: DeltaOp[] = [];
  walk(prev, next, [], out);
  // Edits of a small document can cost more than the document itself.
  if (out.length > 1 && JSON.stringify(out).length > JSON.stringify(next).length) return [{ p: [], s: next }];
  return out;
}

function clone(value: Json): Json {
  return typeof value === "object" && value !== null ? (JSON.parse(JSON.stringify(value)) as Json) : value;
}

/** The container at `path` in `doc` (created as objects where missing), and the last key. */
function parentOf(doc: Json, path: Path): { parent: Json[] | { [key: string]: Json }; key: string | number } | null {
  let node: Json = doc;
  for (const step of path.slice(0, -1)) {
    if (Array.isArray(node) && typeof step === "number") node = node[step] ?? null;
    else if (isObject(node) && typeof step === "string" && Object.hasOwn(node, step)) node = node[step]!;
    else return null;
  }
  const key = path.at(-1);
  if (key === undefined || node === null || typeof node !== "object") return null;
  return { parent: node, key };
}

/** `prev` with `ops` applied (a copy: `prev` is not changed). Malformed operations are skipped. */
export function applyDelta(prev: Json, ops: readonly DeltaOp[]): Json {
  let doc = clone(prev);
  for (const op of ops) {
    if (op.p.length === 0) {
      if ("s" in op) doc = clone(op.s);
      else if ("t" in op && Array.isArray(doc)) doc.length = Math.min(doc.length, op.t);
      else if ("u" in op && Array.isArray(doc)) doc.unshift(...op.u.map(clone));
      continue;
    }
    const target = parentOf(doc, op.p);
    if (!target) continue;
    const { parent, key } = target;
    if (Array.isArray(parent)) {
      if (typeof key !== "number") continue;
      const item = parent[key];
      if ("s" in op) parent[key] = clone(op.s);
      else if ("t" in op && Array.isArray(item)) item.length = Math.min(item.length, op.t);
      else if ("u" in op && Array.isArray(item)) item.unshift(...op.u.map(clone));
      continue;
    }
    if (typeof key !== "string") continue;
    const item = Object.hasOwn(parent, key) ? parent[key] : undefined;
    if ("s" in op) Object.defineProperty(parent, key, { value: clone(op.s), enumerable: true, writable: true, configurable: true });
    else if ("d" in op) delete parent[key];
    else if ("t" in op && Array.isArray(item)) item.length = Math.min(item.length, op.t);
    else if ("u" in op && Array.isArray(item)) item.unshift(...op.u.map(clone));
  }
  return doc;
}
