import { Client } from "@colyseus/sdk";
import type { Room } from "@colyseus/sdk";
import { CLOSE_KICKED, CLOSE_SESSION_ENDED } from "../../../shared/protocol/messages.ts";
import type { AckEvent, ClientMessage, ClientMessageType, ErrorEvent, JoinOptions } from "../../../shared/protocol/messages.ts";
import type { L2Context, L2State, L2Tx } from "../../../shared/engine/l2-state.ts";
import { setBanner, showError, showNotice } from "../ui/messages.ts";
import { colyseusEndpoint } from "./api.ts";
import { installFallbackTransport } from "./fallback-transport.ts";
import { withViews } from "./snapshot.ts";
import { SnapshotBuilder } from "./snapshot-builder.ts";
import { ViewMirror } from "../../../shared/protocol/view-feed.ts";
import type { Snapshot } from "./snapshot.ts";
import { saveReconnectionToken } from "./storage.ts";

/** What the server sends back for a `batch:data` request: everything needed to re-execute the batch. */
export interface BatchData {
  batchId: number;
  preState: L2State;
  txs: L2Tx[];
  claimedRoots: string[];
  context: L2Context;
}

/** Why the connection ended, in words for the screen. */
export interface LeaveReason {
  code: number;
  kicked: boolean;
  ended: boolean;
  message: string;
}

type Listener<T> = (value: T) => void;

/** Patch timing the projector exposes for the client benchmark (tests/bench/client-bench.ts). */
export interface PatchClock {
  /** performance.now() of the oldest patch not yet drawn, or null. */
  pendingSince: number | null;
  patches: number;
}

/**
 * One live seat in a classroom room: sends messages with sequence numbers, turns server errors
 * into readable messages, shows "Reconnecting…" while the SDK brings a dropped socket back.
 */
export class Connection {
  readonly room: Room;
  readonly code: string;
  readonly patchClock: PatchClock = { pendingSince: null, patches: 0 };
  /** performance.now() of the first patch folded into the current snapshot (for the latency metric). */
  snapshotPatchedAt: number | null = null;
  /** How long each snapshot took to build from the decoded state (ms), most recent last, capped. */
  readonly snapshotMs: number[] = [];
  private seq = 0;
  private changeListeners = new Set<Listener<Snapshot>>();
  private ackListeners = new Set<Listener<AckEvent>>();
  private errorListeners = new Set<Listener<ErrorEvent>>();
  private leaveListeners = new Set<Listener<LeaveReason>>();
  private reconnectListeners = new Set<() => void>();
  private batchData = new Map<number, BatchData | "pending" | "unavailable">();
  private batchListeners = new Set<Listener<BatchData>>();
  /** Batch requests in the order sent: the room answers each one, in order, with data or an error. */
  private batchQueue: number[] = [];
  private kickedMessage: string | null = null;
  private scheduled = false;
  private restartBannerShown = false;
  /** Messages sent and not yet answered (ack or error), by sequence number. */
  private readonly unanswered = new Set<number>();
  /** The last sequence number sent before the connection dropped. */
  private droppedAtSeq = 0;
  private latest: Snapshot;
  /** The scenario views, which arrive as changes beside the synced state. */
  private readonly views: ViewMirror;
  /** Plain snapshots of the decoded state, copying only the players a patch changed. */
  private readonly snapshots: SnapshotBuilder;

  constructor(room: Room, code: string) {
    this.room = room;
    this.code = code;
    this.views = new ViewMirror(room, () => this.schedule());
    this.snapshots = new SnapshotBuilder(room);
    this.latest = withViews(this.snapshots.build(), this.views);
    saveReconnectionToken(code, room.reconnectionToken);
    Connection.markAutoReconnect(room);
    room.onStateChange(() => {
      this.patchClock.patches += 1;
      this.patchClock.pendingSince ??= performance.now();
      this.schedule();
    });
    room.onMessage("ack", (ack: AckEvent) => {
      if (ack.seq !== undefined) this.unanswered.delete(ack.seq);
      this.ackListeners.forEach((l) => l(ack));
    });
    room.onMessage("error", (error: ErrorEvent) => {
      if (error.seq !== undefined) this.unanswered.delete(error.seq);
      if (error.type === "batch:data") return this.onBatchDataError(error);
      showError(error.message);
      this.errorListeners.forEach((l) => l(error));
    });
    room.onMessage("notice", (notice: { message?: string }) => {
      if (notice.message) showNotice(notice.message);
    });
    room.onMessage("kicked", (kicked: { message?: string }) => {
      this.kickedMessage = kicked.message ?? "The host removed you from this game.";
    });
    room.onMessage("debrief", () => undefined);
    room.onMessage("final", () => undefined);
    room.onMessage("batch:data", (data: BatchData) => {
      this.batchQueue = this.batchQueue.filter((id) => id !== data.batchId);
      this.batchData.set(data.batchId, data);
      this.batchListeners.forEach((l) => l(data));
      this.schedule();
    });
    room.onDrop(() => {
      this.droppedAtSeq = this.seq;
      setBanner("Connection lost. Reconnecting…");
    });
    room.onReconnect(() => {
      // Everything sent before now — before the drop, or while away (the SDK sends that on reconnection) — should be answered soon.
      this.droppedAtSeq = this.seq;
      this.warnUnanswered();
      setBanner(null);
      saveReconnectionToken(code, room.reconnectionToken);
      showNotice("Reconnected.");
      // Requests in flight when the socket dropped may never be answered: ask again when needed.
      for (const id of this.batchQueue) this.batchData.delete(id);
      this.batchQueue = [];
      // The state may have arrived whole: copy every player again rather than trust the change callbacks.
      this.snapshots.invalidate();
      this.reconnectListeners.forEach((l) => l());
      this.schedule();
    });
    room.onLeave((closeCode: number, reason?: string) => {
      setBanner(null);
      saveReconnectionToken(code, null);
      const kicked = closeCode === CLOSE_KICKED;
      const ended = closeCode === CLOSE_SESSION_ENDED;
      const message = kicked
        ? (this.kickedMessage ?? "The host removed you from this game.")
        : ended
          ? "The host ended this game. Thanks for playing!"
          : closeCode === 1000
            ? "You left the game."
            : `The connection to the game was lost${reason ? ` (${reason})` : ""}.`;
      this.leaveListeners.forEach((l) => l({ code: closeCode, kicked, ended, message }));
    });
  }

  /**
   * Says on the page (`<html data-auto-reconnect="armed">`) once the SDK would bring a dropped
   * socket back by itself: it refuses to for `reconnection.minUptime` ms after a join (against
   * reconnect loops). A test that drops the connection waits for this, not for the clock.
   */
  private static markAutoReconnect(room: Room): void {
    const root = document.documentElement;
    delete root.dataset.autoReconnect;
    window.setTimeout(() => (root.dataset.autoReconnect = "armed"), room.reconnection.minUptime);
  }

  /** An SDK client whose rooms connect over WebSocket, or over socket.io when WebSocket is blocked (fallback-transport.ts). */
  private static client(): Client {
    installFallbackTransport();
    return new Client(colyseusEndpoint());
  }

  /** Joins a classroom by its code. Rejects with the server's reason (taken name, locked game…). */
  static async join(code: string, options: JoinOptions): Promise<Connection> {
    const room = await Connection.client().joinById(code, options);
    return new Connection(room, code);
  }

  /** Takes a dropped seat back after a page reload, with the stored reconnection token. */
  static async reconnect(code: string, token: string): Promise<Connection> {
    const room = await Connection.client().reconnect(token);
    return new Connection(room, code);
  }

  /** The state as plain data, refreshed at most once per animation frame. */
  get state(): Snapshot {
    return this.latest;
  }

  get sessionId(): string {
    return this.room.sessionId;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.snapshotPatchedAt = this.patchClock.pendingSince;
      this.patchClock.pendingSince = null;
      const began = performance.now();
      this.latest = withViews(this.snapshots.build(), this.views);
      this.showRestartCountdown(this.latest.resumingInSec);
      this.snapshotMs.push(performance.now() - began);
      if (this.snapshotMs.length > 2_000) this.snapshotMs.splice(0, 500);
      this.changeListeners.forEach((l) => l(this.latest));
    });
  }

  /**
   * What was sent just before a drop may never be answered: the server may have applied it (then
   * the screen shows it) or never received it. Say so plainly rather than leave the student guessing.
   * (What is sent while disconnected waits in the SDK and goes out on reconnection; it is answered,
   * or refused with a reason, like anything else.)
   */
  private warnUnanswered(): void {
    const before = this.droppedAtSeq;
    window.setTimeout(() => {
      const lost = [...this.unanswered].filter((seq) => seq <= before);
      for (const seq of lost) this.unanswered.delete(seq);
      if (lost.length) showError(`${lost.length === 1 ? "Your last action" : `${lost.length} of your last actions`} may not have reached the server before the connection dropped: check your screen and send again if it is missing.`);
    }, 2_000);
  }

  /** After a server restart the round waits for everyone: say so, with the seconds left, until it resumes. */
  private showRestartCountdown(seconds: number): void {
    if (seconds > 0) setBanner(`The server restarted: everyone is coming back. The round resumes in ${seconds} s.`);
    else if (this.restartBannerShown) setBanner(null);
    this.restartBannerShown = seconds > 0;
  }

  /** Sends a validated client message; returns its sequence number (echoed in the ack or error). */
  send<T extends ClientMessageType>(type: T, payload: ClientMessage<T>): number {
    // Offline, the SDK keeps the last few messages for the reconnection and drops older ones without
    // a word: refuse one more plainly instead, so nothing typed is lost silently.
    const queue = this.room.reconnection;
    if (!this.room.connection.isOpen && queue.enqueuedMessages.length >= queue.maxEnqueuedMessages) {
      showError("You are offline: that was not sent. Wait for “Reconnected”, then try again.");
      return -1;
    }
    const seq = ++this.seq;
    this.unanswered.add(seq);
    this.room.send(type, { ...payload, seq });
    return seq;
  }

  /** Asks for a batch's data once; listeners hear when it arrives. */
  requestBatch(batchId: number): BatchData | null {
    const known = this.batchData.get(batchId);
    if (known && known !== "pending" && known !== "unavailable") return known;
    if (!known) {
      this.batchData.set(batchId, "pending");
      this.batchQueue.push(batchId);
      this.room.send("batch:data", { batchId });
    }
    return null;
  }

  /** A batch's data if it has arrived. */
  batch(batchId: number): BatchData | null {
    const known = this.batchData.get(batchId);
    return known && known !== "pending" && known !== "unavailable" ? known : null;
  }

  batchUnavailable(batchId: number): boolean {
    return this.batchData.get(batchId) === "unavailable";
  }

  /** The error does not name the batch; the oldest request still waiting is the one refused. */
  private onBatchDataError(_error: ErrorEvent): void {
    const id = this.batchQueue.shift();
    if (id !== undefined) this.batchData.set(id, "unavailable");
    this.schedule();
  }

  onChange(listener: Listener<Snapshot>): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onAck(listener: Listener<AckEvent>): () => void {
    this.ackListeners.add(listener);
    return () => this.ackListeners.delete(listener);
  }

  onError(listener: Listener<ErrorEvent>): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  onLeave(listener: Listener<LeaveReason>): () => void {
    this.leaveListeners.add(listener);
    return () => this.leaveListeners.delete(listener);
  }

  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  onBatchData(listener: Listener<BatchData>): () => void {
    this.batchListeners.add(listener);
    return () => this.batchListeners.delete(listener);
  }

  /** Leaves on purpose (no reconnection). */
  async leave(): Promise<void> {
    saveReconnectionToken(this.code, null);
    await this.room.leave(true);
  }
}

/** The text of a failed join: the server's own reason when it gave one. */
export function joinErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/not found/i.test(message)) return "No game with that code. Check the code on the projector.";
  if (/failed to fetch|network|ECONNREFUSED/i.test(message)) return "Cannot reach the game server. Check your connection and try again.";
  return message || "Could not join the game.";
}
