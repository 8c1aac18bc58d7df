import { diff } from "../../shared/protocol/json-delta.ts";
import type { DeltaOp, Json } from "../../shared/protocol/json-delta.ts";
import { VIEW_MESSAGES } from "../../shared/protocol/view-feed.ts";
import type { PrivateView, ViewMessage } from "../../shared/protocol/view-feed.ts";

/**
 * One document sent as deltas: remembers what its audience last got, and for the next version
 * answers the operations between the two (null when nothing changed). Its JSON text is kept to
 * skip parsing and diffing entirely when a view is rebuilt unchanged (the common case).
 */
class Feed {
  private sent: Json = null;
  private sentText = "";

  /** The operations from what was sent to the document `text` is ("" for none), or null when nothing changed. */
  next(text: string): DeltaOp[] | null {
    if (text === this.sentText) return null;
    const next = text ? (JSON.parse(text) as Json) : null;
    const ops = diff(this.sent, next);
    this.sent = next;
    this.sentText = text;
    return ops.length ? ops : null;
  }

  current(): Json {
    return this.sent;
  }
}

/**
 * A player's private view as the scenario builds it: numbers, and the lists and the scenario's own
 * part as JSON text. Parts that did not change are not parsed again.
 */
export interface PrivateParts {
  l1Balance: number;
  l2Balance: number;
  l2Nonce: number;
  txs: string;
  withdrawals: string;
  module: string;
}

/** One player's private feed: the parts last seen, the document last sent. */
class PrivateFeed {
  private parts: PrivateParts | null = null;
  private view: PrivateView | null = null;

  next(playerId: string, parts: PrivateParts): DeltaOp[] | null {
    const before = this.parts;
    if (before && before.l1Balance === parts.l1Balance && before.l2Balance === parts.l2Balance && before.l2Nonce === parts.l2Nonce && before.txs === parts.txs && before.withdrawals === parts.withdrawals && before.module === parts.module) return null;
    const previous = this.view;
    const view: PrivateView = {
      id: playerId,
      l1Balance: parts.l1Balance,
      l2Balance: parts.l2Balance,
      l2Nonce: parts.l2Nonce,
      txs: previous && before?.txs === parts.txs ? previous.txs : (JSON.parse(parts.txs) as Json[]),
      withdrawals: previous && before?.withdrawals === parts.withdrawals ? previous.withdrawals : (JSON.parse(parts.withdrawals) as Json[]),
      module: previous && before?.module === parts.module ? previous.module : parts.module ? (JSON.parse(parts.module) as Json) : null,
    };
    this.parts = parts;
    this.view = view;
    const ops = diff(previous as unknown as Json, view as unknown as Json);
    return ops.length ? ops : null;
  }

  current(): PrivateView | null {
    return this.view;
  }
}

/** What the room sends a view's audience: a whole document (on join) or its changes. */
export type SendView = (playerId: string | null, type: string, message: ViewMessage) => void;

/**
 * The scenario views, sent as changes instead of documents: the round's public picture (to
 * everyone: `world` messages) and each player's private one (their wallet, transactions and the
 * scenario's private part: `you` messages, to that player only). Cost per change is linear in the
 * audience; no per-player StateView.
 */
export class ViewFeeds {
  private readonly world = new Feed();
  private readonly players = new Map<string, PrivateFeed>();
  private readonly send: SendView;

  constructor(send: SendView) {
    this.send = send;
  }

  /** The round's public picture (as the scenario's JSON text, "" for none) changed or not: everyone gets the difference. */
  publishWorld(text: string): void {
    const ops = this.world.next(text);
    if (ops) this.send(null, VIEW_MESSAGES.world, { ops });
  }

  /** A player's private view changed (or not): they get the difference. */
  publishPrivate(playerId: string, parts: PrivateParts): void {
    let feed = this.players.get(playerId);
    if (!feed) {
      feed = new PrivateFeed();
      this.players.set(playerId, feed);
    }
    const ops = feed.next(playerId, parts);
    if (ops) this.send(playerId, VIEW_MESSAGES.you, { ops });
  }

  /** The whole public picture, for a client that just (re)joined. */
  worldReset(): ViewMessage {
    return { reset: this.world.current() };
  }

  /** A player's whole private view, for their client that just (re)joined (null before it was first built). */
  privateReset(playerId: string): ViewMessage | null {
    const view = this.players.get(playerId)?.current();
    return view ? { reset: view as unknown as Json } : null;
  }

  forget(playerId: string): void {
    this.players.delete(playerId);
  }

  /** A new round: every view starts again from nothing (the clients get resets). */
  clear(): void {
    this.players.clear();
  }
}
