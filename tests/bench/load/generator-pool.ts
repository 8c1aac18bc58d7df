import { fork } from "node:child_process";
import { setPriority } from "node:os";
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { FromGenerator, GeneratorConfig, GeneratorReport, SeatPlan, ToGenerator } from "./protocol.ts";

/** Scheduling priority of the generator processes (0 normal, 19 lowest). */
const GENERATOR_NICENESS = 10;

const GENERATOR = fileURLToPath(new URL("./generator.ts", import.meta.url));

/** Waits for the next message of `type` from a generator. */
function next<T extends FromGenerator["type"]>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<FromGenerator, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off("message", listener);
      reject(new Error(`generator ${child.pid}: no "${type}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (message: FromGenerator) => {
      if (message.type !== type) return;
      clearTimeout(timer);
      child.off("message", listener);
      resolve(message as Extract<FromGenerator, { type: T }>);
    };
    child.on("message", listener);
  });
}

/** Generator processes sharing a set of simulated clients (each room's clients spread over all of them). */
export class GeneratorPool {
  readonly joined: number;
  readonly failed: number;
  readonly firstError: string | undefined;
  private readonly children: ChildProcess[];

  private constructor(children: ChildProcess[], joined: number, failed: number, firstError: string | undefined) {
    this.children = children;
    this.joined = joined;
    this.failed = failed;
    this.firstError = firstError;
  }

  /** Forks `count` generators, deals the seats round-robin, and resolves once every client has joined (or failed to). */
  static async start(count: number, config: Omit<GeneratorConfig, "seats">, seats: readonly SeatPlan[]): Promise<GeneratorPool> {
    const n = Math.max(1, Math.min(count, seats.length));
    const children = Array.from({ length: n }, () => fork(GENERATOR, [], { stdio: ["ignore", "inherit", "inherit", "ipc"], serialization: "advanced" }));
    // The generators share the machine with the server they measure: they yield to it (nice 10), so
    // the server gets the CPU it asks for and its latency is its own, not a fight for the cores
    // (without it, at 3,000 clients the server's event loop fell seconds behind at 67 % of a core).
    for (const child of children) if (child.pid !== undefined) setPriority(child.pid, GENERATOR_NICENESS);
    const shares: SeatPlan[][] = children.map(() => []);
    seats.forEach((seat, i) => shares[i % n]!.push(seat));
    const joins = children.map((child, i) => {
      const done = next(child, "joined", 10 * 60_000);
      child.send({ type: "start", config: { ...config, seats: shares[i]! } } satisfies ToGenerator);
      return done;
    });
    const results = await Promise.all(joins);
    return new GeneratorPool(
      children,
      results.reduce((sum, r) => sum + r.joined, 0),
      results.reduce((sum, r) => sum + r.failed, 0),
      results.find((r) => r.firstError)?.firstError,
    );
  }

  get pids(): number[] {
    return this.children.map((c) => c.pid!).filter((pid) => pid !== undefined);
  }

  /** Starts the measured window in every generator (clears what they measured so far). */
  reset(): void {
    for (const child of this.children) child.send({ type: "reset" } satisfies ToGenerator);
  }

  /** Every generator's figures since the last reset. */
  async report(): Promise<GeneratorReport[]> {
    return await Promise.all(
      this.children.map((child) => {
        const reply = next(child, "report", 60_000);
        child.send({ type: "report" } satisfies ToGenerator);
        return reply.then((m) => m.report);
      }),
    );
  }

  /** Leaves every room and ends the generators (killed if they take longer than 10 s). */
  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(async (child) => {
        if (child.exitCode !== null) return;
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.send({ type: "stop" } satisfies ToGenerator);
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}
