import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

/** Every .ts file under `dir`, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : []));
}

/** The relative imports (type-only ones and re-exports included) of each file: an import circle is a circle whatever it carries. */
function importGraph(roots: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pattern = /(?:import|export)[^"';]*?from\s+"(\.[^"]+)"/gs;
  for (const file of roots.flatMap(files)) {
    const source = readFileSync(file, "utf8");
    graph.set(file, [...source.matchAll(pattern)].map((m) => normalize(join(dirname(file), m[1]!))));
  }
  return graph;
}

function cycles(graph: Map<string, string[]>): string[][] {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (file: string): void => {
    state.set(file, "open");
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "open") found.push(stack.slice(stack.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

describe("shared/engine and shared/lessons import no circle", () => {
  it("debrief.ts → scenario-rounds.ts → each round file → debrief-types.ts, and nothing leads back", () => {
    const root = join(import.meta.dirname, "../../shared");
    const graph = importGraph([join(root, "engine"), join(root, "lessons")]);
    const found = cycles(graph).map((cycle) => cycle.map((file) => relative(root, file)).join(" → "));
    expect(found).toEqual([]);
    // The round files see the debrief only through its types.
    for (const [file, imports] of graph) {
      if (file.endsWith("round.ts")) expect(imports.map((i) => relative(root, i)), file).not.toContain("engine/debrief.ts");
    }
  });
});
