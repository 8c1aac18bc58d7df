import { verifyMerkleProof } from "../../../../shared/crypto/merkle.ts";
import { decodePosition, plasmaTxLeaf } from "../../../../shared/engine/plasma/plasma-tx.ts";
import { EXIT_ORDER_WORDS, childBlockLabel, coinBlockLabel } from "../../../../shared/engine/plasma/views.ts";
import type { PlasmaCoinView, PlasmaExitView, PlasmaPublicView, PlasmaWalletView } from "../../../../shared/engine/plasma/views.ts";
import type { Connection } from "../../net/connection.ts";
import { nameOf, parseJson } from "../../net/snapshot.ts";
import type { Snapshot } from "../../net/snapshot.ts";
import { h, setHidden, setText, syncList } from "../../ui/dom.ts";
import { formatEth, formatSeconds, shortHash } from "../../ui/format.ts";
import { field, panel } from "../view.ts";

/** The round's public Plasma picture (world.module), or null before it arrives. */
export function plasmaWorld(s: Snapshot): PlasmaPublicView | null {
  return parseJson<PlasmaPublicView | null>(s.world.module, null);
}

/** Your own Plasma wallet (wallet.module). */
export function plasmaWallet(s: Snapshot, me: string): PlasmaWalletView {
  return parseJson<PlasmaWalletView>(s.players[me]?.wallet?.module, { coins: [], onPlasma: 0 });
}

/** "Block #9" for a child block number (9000). */
export const blockName = (number: number): string => `block #${childBlockLabel(number)}`;

/** Tip choices for exits: the L1 fee market decides who gets out first when everyone rushes. */
const TIPS: [number, string][] = [
  [1, "1 gwei — cheap, may get stuck"],
  [5, "5 gwei — normal"],
  [15, "15 gwei — fast"],
  [40, "40 gwei — first out"],
];

/** The exit tip, chosen in any of its selects (the alert's, the coin list's), which stay in step. */
export interface TipChoice {
  /** A new labelled select bound to the choice. */
  field(label: string): HTMLElement;
  /** The fee to offer now: max fee = 3 × the current base fee + tip, so a rising base fee can still outrun it. */
  fee(baseFee: number): { tip: number; maxFee: number };
}

export function createTipChoice(): TipChoice {
  let tip = 5;
  const selects: HTMLSelectElement[] = [];
  return {
    field(label) {
      const select = h("select", { name: "tip", onchange: () => {
        tip = Number(select.value) || 5;
        for (const other of selects) if (other !== select) other.value = String(tip);
      } }, ...TIPS.map(([value, text]) => h("option", { value: String(value), selected: value === tip }, text)));
      selects.push(select);
      return field(label, select, "Per unit of gas, on top of L1's base fee. Everyone exiting at once bids against you.");
    },
    fee(baseFee) {
      return { tip, maxFee: 3 * baseFee + tip };
    },
  };
}

/** Sends the exit of a coin, built from the wallet's own copy of its transaction and Merkle proof. */
export function sendExit(conn: Connection, coin: PlasmaCoinView, fee: { tip: number; maxFee: number }): void {
  conn.send("plasma:startExit", { utxoPos: coin.utxoPos, tx: coin.tx, proof: coin.proof, ...fee });
}

/** Whether the coin's Merkle proof matches its block's root as committed to L1 (checked here, in the browser). */
function proofChecks(world: PlasmaPublicView | null, coin: PlasmaCoinView): boolean | null {
  const { block, txIndex } = decodePosition(coin.utxoPos);
  const root = world?.blocks.find((b) => b.number === block)?.root;
  if (!root || coin.proof.length === 0) return null;
  return verifyMerkleProof(root, txIndex, plasmaTxLeaf(coin.tx), coin.proof);
}

function ageText(coin: PlasmaCoinView, now: number): string {
  return coin.committedAtMs >= 0 ? ` · ${formatSeconds(now - coin.committedAtMs)} old` : "";
}

/** An exiting coin's countdown, then its place in the queue (in the contract's priority order, as the queue list says). */
export function exitCountdownText(coin: PlasmaCoinView, now: number, world: PlasmaPublicView | null): string {
  const left = (coin.exitableAtMs ?? now) - now;
  return left > 0
    ? `Pays in ${formatSeconds(left)} if nobody challenges · #${coin.place} in the exit queue`
    : `Challenge period over · #${coin.place} in the queue: ${world?.exitsPerBlock ?? 1} paid per L1 block, ${EXIT_ORDER_WORDS}`;
}

function feeText(coin: PlasmaCoinView, baseFee: number): string {
  return (coin.maxFee ?? 0) < baseFee
    ? `Your max fee ${coin.maxFee} gwei is below L1's base fee ${baseFee} gwei: no block will take it. Raise your tip.`
    : `Tip ${coin.tip} gwei, max fee ${coin.maxFee} gwei per gas (base fee now ${baseFee}).`;
}

/** Updates a coin row's clock-driven parts in place: its age, a waiting exit's fee against the base fee, an exit's countdown and bar. */
function tickRow(row: HTMLElement, coin: PlasmaCoinView, now: number, baseFee: number, world: PlasmaPublicView | null): void {
  const age = row.querySelector(".coin-age");
  if (age) setText(age, ageText(coin, now));
  const fee = row.querySelector(".coin-fee");
  if (fee) setText(fee, feeText(coin, baseFee));
  if (coin.status !== "exiting") return;
  const countdown = row.querySelector(".coin-countdown");
  if (countdown) setText(countdown, exitCountdownText(coin, now, world));
  const bar = row.querySelector("progress");
  const left = Math.max(0, (coin.exitableAtMs ?? now) - now);
  const value = String(Math.min(world?.exitPeriodMs ?? left, left));
  if (bar && bar.getAttribute("value") !== value) {
    bar.setAttribute("value", value);
    bar.setAttribute("aria-label", `Challenge period left for this exit: ${formatSeconds(left)}`);
  }
}

const STATUS_TEXT: Record<PlasmaCoinView["status"], string> = {
  plasma: "on Plasma",
  spending: "paying… (next block)",
  requested: "exit sent: waiting for an L1 block",
  exiting: "exiting",
  paid: "exited ✓",
  challenged: "challenged ✗",
  spent: "paid away",
  stolen: "stolen ✗",
};

/**
 * Your coins: value, age, status (on Plasma / exiting with a countdown / exited ✓ / stuck ✗ /
 * stolen), an Exit button for each coin you can still prove, and a Raise-tip button when the
 * base fee has outrun your exit's max fee.
 */
export function createCoinList(conn: Connection, tips: TipChoice): { el: HTMLElement; update(s: Snapshot, world: PlasmaPublicView | null, wallet: PlasmaWalletView): void } {
  const list = h("ul", { class: "rows plasma-coins", "aria-label": "Your coins" });
  const empty = h("p", { class: "muted" }, "No coins yet: your deposit becomes a coin once L1 includes it.");
  const more = h("p", { class: "muted" });
  // Ages and countdowns tick every second, so the list is not a live region; what happens to a coin is said here once.
  const said = h("p", { class: "visually-hidden", "aria-live": "polite" });
  const lastStatus = new Map<number, string>();
  let latest: { s: Snapshot; world: PlasmaPublicView | null } | null = null;
  const baseFeeNow = () => latest?.s.world.baseFee ?? 0;

  const render = (coin: PlasmaCoinView): HTMLElement => {
    const s = latest!.s;
    const world = latest!.world;
    const now = s.world.nowMs;
    const baseFee = s.world.baseFee;
    const pricedOut = coin.status === "requested" && (coin.maxFee ?? 0) < baseFee;
    const status = pricedOut ? "stuck ✗" : STATUS_TEXT[coin.status];
    const row = h("li", { class: `row plasma-coin coin-${pricedOut ? "stuck" : coin.status}`, "data-coin": String(coin.utxoPos) },
      h("span", { class: "row-main" }, `${formatEth(coin.amount)}`, h("span", { class: "coin-where" }, ` · ${coinBlockLabel(coin.utxoPos)}`), h("span", { class: "coin-where coin-age" }, ageText(coin, now))),
      h("span", { class: "badge" }, status));
    if (coin.forged) row.appendChild(h("span", { class: "row-detail" }, "Made by your forged spend: L1 cannot tell."));
    const checks = coin.status === "plasma" || coin.status === "stolen" ? proofChecks(world, coin) : null;
    if (checks !== null) row.appendChild(h("span", { class: "row-detail" }, checks ? "Merkle proof ✓ matches the root on L1" : "Merkle proof ✗ does not match the root on L1"));
    const exitButton = (text: string, danger: boolean) =>
      h("button", { type: "button", class: danger ? "danger" : "secondary", "data-fk": `exit-${coin.utxoPos}`, onclick: () => sendExit(conn, coin, tips.fee(baseFeeNow())) }, text);
    switch (coin.status) {
      case "plasma":
        row.appendChild(exitButton(`Exit ${formatEth(coin.amount, 2)} to L1`, (world?.withheld.length ?? 0) > 0));
        break;
      case "stolen":
        row.append(h("span", { class: "row-detail" }, "A published block spends it without your signature. Nobody can challenge your exit of it: exit now!"), exitButton("Exit it anyway", true));
        break;
      case "requested":
        row.appendChild(h("span", { class: "row-detail coin-fee" }, feeText(coin, baseFee)));
        row.appendChild(h("button", { type: "button", class: pricedOut ? "danger" : "secondary", "data-fk": `bump-${coin.utxoPos}`, onclick: () => {
          const fee = tips.fee(baseFeeNow());
          const tip = Math.max(fee.tip, (coin.tip ?? 0) + 5);
          sendExit(conn, coin, { tip, maxFee: Math.max(fee.maxFee, 3 * baseFeeNow() + tip) });
        } }, "Raise tip"));
        break;
      case "exiting": {
        const period = world?.exitPeriodMs ?? 1;
        row.appendChild(h("span", { class: "row-detail coin-countdown" }, exitCountdownText(coin, now, world)));
        row.appendChild(h("progress", { max: String(period), value: "0", "aria-label": "Challenge period left for this exit" }));
        tickRow(row, coin, now, baseFee, world);
        break;
      }
      case "paid":
        if ((coin.paid ?? coin.amount) < coin.amount) row.appendChild(h("span", { class: "row-detail" }, `Paid only ${formatEth(coin.paid ?? 0)}: the escrow ran dry.`));
        break;
      case "challenged":
        row.appendChild(h("span", { class: "row-detail" }, "Someone proved this coin was already spent: the exit is cancelled and its bond lost."));
        break;
    }
    return row;
  };

  return {
    el: h("div", {}, empty, list, more, said),
    update(s, world, wallet) {
      latest = { s, world };
      for (const coin of wallet.coins) {
        const before = lastStatus.get(coin.utxoPos);
        const status = coin.status === "requested" && (coin.maxFee ?? 0) < s.world.baseFee ? "stuck" : coin.status;
        if (before !== undefined && before !== status && status !== "spending" && status !== "spent") {
          setText(said, `Your coin of ${formatEth(coin.amount)}: ${status === "stuck" ? "exit stuck ✗, raise your tip" : STATUS_TEXT[coin.status]}.`);
        }
        lastStatus.set(coin.utxoPos, status);
      }
      setHidden(empty, wallet.coins.length > 0);
      setText(more, wallet.moreCoins ? `+ ${wallet.moreCoins} smaller coin${wallet.moreCoins === 1 ? "" : "s"} not listed (the biggest are shown).` : "");
      // Rows re-render only when something but the clock changed (a button must not vanish under a finger);
      // ages and countdowns tick in place.
      syncList(list, wallet.coins, (c) => String(c.utxoPos), (c) => {
        const pricedOut = c.status === "requested" && (c.maxFee ?? 0) < s.world.baseFee;
        const ready = c.status === "exiting" && (c.exitableAtMs ?? 0) <= s.world.nowMs;
        return `${c.status}|${pricedOut}|${ready}|${c.place ?? ""}|${c.tip ?? ""}|${world?.withheld.length ?? 0}|${world?.blocks.length ?? 0}`;
      }, render);
      for (const coin of wallet.coins) {
        const row = list.querySelector<HTMLElement>(`[data-coin="${coin.utxoPos}"]`);
        if (row) tickRow(row, coin, s.world.nowMs, s.world.baseFee, world);
      }
    },
  };
}

function exitLeftText(left: number): string {
  return left > 0 ? `challenge period: ${formatSeconds(left)}` : "ready: waiting its turn";
}

/** Rows of the exit queue shown: the head, and your own exits further back. */
const QUEUE_HEAD = 8;
interface QueueRow {
  exit: PlasmaExitView;
  place: number;
}

/**
 * The exit queue as L1 sees it, head first, with your own exits marked and your place in words.
 * Where one of your coins was made by the transaction that spent an exiting coin, you hold the
 * proof: a Challenge button sends it.
 */
export function createExitQueue(conn: Connection, me: string): { el: HTMLElement; update(s: Snapshot, world: PlasmaPublicView | null, wallet: PlasmaWalletView): void } {
  const summary = h("p", {});
  const list = h("ul", { class: "rows plasma-queue", "aria-label": `The exit queue, ${EXIT_ORDER_WORDS}` });
  const challenged = new Set<number>();
  const el = panel("Exit queue on L1", summary, list);
  let latest: { s: Snapshot; wallet: PlasmaWalletView } | null = null;

  const spendProofFor = (wallet: PlasmaWalletView, exit: PlasmaExitView): PlasmaCoinView | undefined =>
    exit.owner === me ? undefined : wallet.coins.find((coin) => coin.proof.length > 0 && coin.tx.inputs.includes(exit.utxoPos));

  const render = ({ exit, place }: QueueRow): HTMLElement => {
    const { s, wallet } = latest!;
    const left = exit.exitableAtMs - s.world.nowMs;
    const mine = exit.owner === me;
    const row = h("li", { class: `row plasma-exit${mine ? " mine" : ""}` },
      h("span", { class: "row-main" }, `#${place} ${mine ? "You" : nameOf(s, exit.owner)} · ${formatEth(exit.amount)}`),
      h("span", { class: "badge exit-left" }, exitLeftText(left)),
      h("span", { class: "row-detail" }, `Coin from ${coinBlockLabel(exit.utxoPos)} · ranks as if made at ${formatSeconds(exit.ageAtMs)}`));
    const proof = spendProofFor(wallet, exit);
    if (proof) {
      const sent = challenged.has(exit.utxoPos);
      row.appendChild(h("button", { type: "button", class: "danger", disabled: sent, "data-fk": `challenge-${exit.utxoPos}`, onclick: () => {
        challenged.add(exit.utxoPos);
        const at = decodePosition(proof.utxoPos);
        conn.send("plasma:challenge", {
          exitUtxoPos: exit.utxoPos, block: at.block, txIndex: at.txIndex, inputIndex: proof.tx.inputs.indexOf(exit.utxoPos),
          tx: proof.tx, proof: proof.proof, tip: 10, maxFee: 3 * (latest?.s.world.baseFee ?? s.world.baseFee) + 10,
        });
      } }, sent ? "Challenge sent…" : "Challenge: this coin was spent (you hold the proof)"));
    }
    return row;
  };

  return {
    el,
    update(s, world, wallet) {
      setHidden(el, !world);
      if (!world) return;
      latest = { s, wallet };
      // The head of the queue, then your own exits wherever they are (the wallet knows their places).
      const rows: QueueRow[] = world.queue.slice(0, QUEUE_HEAD).map((exit, i) => ({ exit, place: i + 1 }));
      const myExits = wallet.coins.filter((coin) => coin.status === "exiting" && (coin.place ?? 0) > QUEUE_HEAD).sort((a, b) => a.place! - b.place!);
      for (const coin of myExits) {
        const exit = world.queue.find((e) => e.utxoPos === coin.utxoPos) ?? { utxoPos: coin.utxoPos, owner: me, amount: coin.amount, startedAtMs: 0, exitableAtMs: coin.exitableAtMs ?? 0, ageAtMs: 0 };
        rows.push({ exit, place: coin.place! });
      }
      const first = wallet.coins.filter((coin) => coin.status === "exiting").map((coin) => coin.place ?? 0).sort((a, b) => a - b)[0];
      const waiting = world.exitTxsWaiting > 0 ? ` ${world.exitTxsWaiting} more exit${world.exitTxsWaiting === 1 ? "" : "s"} wait to get into an L1 block (${world.exitTxsPricedOut} priced out).` : "";
      setText(summary, world.queued === 0
        ? `No exits queued. ${world.paid} paid so far.${waiting}`
        : `${world.queued} exit${world.queued === 1 ? "" : "s"} queued (${formatEth(world.queuedValue, 2)}); ${world.exitsPerBlock} paid per L1 block, ${EXIT_ORDER_WORDS}. ` +
          (first ? `Your first exit is #${first}: ${first - 1} ahead of you.` : "You have no exit in the queue.") + waiting);
      syncList(list, rows, (row) => String(row.exit.utxoPos), ({ exit, place }) =>
        `${place}|${spendProofFor(wallet, exit)?.utxoPos ?? ""}|${challenged.has(exit.utxoPos)}|${nameOf(s, exit.owner)}`, render);
      for (const { exit } of rows) {
        const badge = list.querySelector(`[data-key="${exit.utxoPos}"] .exit-left`);
        if (badge) setText(badge, exitLeftText(exit.exitableAtMs - s.world.nowMs));
      }
    },
  };
}

/** The Plasma chain as everyone sees it: each block's root on L1, and whether its data was published (or posted in a blob on L1). */
export function createChainStrip(): { el: HTMLElement; update(world: PlasmaPublicView | null): void } {
  const list = h("ol", { class: "plasma-chain", "aria-label": "Plasma blocks, newest last" });
  return {
    el: panel("Plasma chain (roots on L1)", list),
    update(world) {
      syncList(list, world?.blocks ?? [], (b) => String(b.number), (b) => `${b.status}|${b.published}|${b.da}`, (b) =>
        h("li", { class: `plasma-block ${b.published ? "published" : "withheld"}${b.status === "pending" ? " pending" : ""}` },
          h("strong", {}, `#${childBlockLabel(b.number)}`),
          h("span", {}, b.status === "pending" ? "→ L1…" : shortHash(b.root)),
          h("span", {}, b.published ? `✓ ${b.txCount} tx${b.da === "blob" ? " · data in a blob on L1" : ""}` : "✗ WITHHELD ?")));
    },
  };
}
