import { applyDelta } from "./json-delta.ts";
import type { DeltaOp, Json } from "./json-delta.ts";

/**
 * The scenario views travel beside the synced state, as changes (json-delta.ts): the round's
 * public picture in `world` messages (to everyone), each player's private view in `you` messages
 * (to that player only). A client gets a whole document (`reset`) when it joins or reconnects, then
 * only the operations that change it.
 */
export const VIEW_MESSAGES = { world: "world", you: "you" } as const;

/** Client → server: "send me the views whole" (a client that started listening late, or missed a reset). */
export const VIEWS_RESYNC = "views:resync";

export type ViewMessage = { reset: Json } | { ops: DeltaOp[] };

/** What only one player sees: their balances and nonce, their transactions and withdrawals, the scenario's private part. */
export interface PrivateView {
  /** Whose view this is: the client learns its own player id here. */
  id: string;
  l1Balance: number;
  l2Balance: number;
  l2Nonce: number;
  /** Newest first: [{ id, kind, to, amount, status, atMs, reason? }]. */
  txs: Json[];
  /** [{ id, amount, status, … }] in the running scenario's terms. */
  withdrawals: Json[];
  /** The scenario's private picture (channel states, Plasma coins…), null if it has none. */
  module: Json;
}

/** Anything that receives room messages by type and can send one (an SDK Room). */
interface MessageSource {
  onMessage(type: string, callback: (message: ViewMessage) => void): unknown;
  send(type: string, message: unknown): void;
}

/**
 * Keeps the scenario views up to date from their messages, for a browser, a headless bot or a
 * test. `onChange` runs after each message. The JSON texts are kept too: the client's screens read
 * the views as text, as they arrived before they were sent as deltas.
 */
export class ViewMirror {
  world: Json = null;
  you: PrivateView | null = null;
  worldText = "";
  moduleText = "";
  txsText = "[]";
  withdrawalsText = "[]";
  /** Whether a whole public picture has arrived yet (it may be null: a round without one). */
  private worldSeen = false;

  /** True while waiting for the whole views after changes arrived with nothing to apply them to. */
  private resyncing = false;

  private readonly room: MessageSource;

  constructor(room: MessageSource, onChange: () => void = () => undefined) {
    this.room = room;
    // Changes only mean something on top of the document they came from: without it, ask for it whole.
    const base = <T>(doc: T | null, message: ViewMessage): boolean => {
      if ("reset" in message || doc !== null) return true;
      if (!this.resyncing) room.send(VIEWS_RESYNC, {});
      this.resyncing = true;
      return false;
    };
    room.onMessage(VIEW_MESSAGES.world, (message) => {
      if ("reset" in message) this.resyncing = false;
      if (!base(this.worldSeen ? this.world ?? {} : null, message)) return;
      this.worldSeen = true;
      this.world = "reset" in message ? message.reset : applyDelta(this.world, message.ops);
      this.worldText = this.world === null ? "" : JSON.stringify(this.world);
      onChange();
    });
    room.onMessage(VIEW_MESSAGES.you, (message) => {
      if ("reset" in message) this.resyncing = false;
      if (!base(this.you, message)) return;
      const next = ("reset" in message ? message.reset : applyDelta(this.you as unknown as Json, message.ops)) as unknown as PrivateView | null;
      this.you = next;
      this.moduleText = next?.module === null || next?.module === undefined ? "" : JSON.stringify(next.module);
      this.txsText = JSON.stringify(next?.txs ?? []);
      this.withdrawalsText = JSON.stringify(next?.withdrawals ?? []);
      onChange();
    });
  }

  /**
   * Asks for the views whole: for a mirror made after the room was joined (the whole views were
   * sent at the join, before anyone listened), as a reconnection or a late-started bot does.
   */
  requestWhole(): void {
    this.resyncing = true;
    this.room.send(VIEWS_RESYNC, {});
  }

  /** This client's player id ("" before its view arrived, and for the host and the projector). */
  get myId(): string {
    return this.you?.id ?? "";
  }

  /** The wallet as the screens read it (the text fields as JSON strings). */
  wallet(): { l1Balance: number; l2Balance: number; l2Nonce: number; txs: string; withdrawals: string; module: string } | undefined {
    if (!this.you) return undefined;
    return { l1Balance: this.you.l1Balance, l2Balance: this.you.l2Balance, l2Nonce: this.you.l2Nonce, txs: this.txsText, withdrawals: this.withdrawalsText, module: this.moduleText };
  }
}
