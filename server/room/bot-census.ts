/** Server bots alive in this process, over every classroom: the per-process bot cap counts against this. */
let alive = 0;

export const botCensus = {
  get alive(): number {
    return alive;
  },
  add(count: number): void {
    alive += count;
  },
  remove(count: number): void {
    alive = Math.max(0, alive - count);
  },
};
