import { provingCost, provingTimeMs } from "../../../../shared/engine/zk/prover.ts";
import { ZK_COMMIT_GAS, ZK_VERIFY_GAS } from "../../../../shared/engine/zk/constants.ts";
import { POINTS } from "../../../../shared/engine/points.ts";
import { eth } from "../../../../shared/engine/units.ts";
import { nameOf } from "../../net/snapshot.ts";
import type { Snapshot } from "../../net/snapshot.ts";
import { h, setDisabled, setHidden, setText, syncList } from "../../ui/dom.ts";
import { formatEth, formatFee } from "../../ui/format.ts";
import { field, panel, stat } from "../view.ts";
import type { PlayContext, View } from "../view.ts";
import { ZK_BATCH_STATUS, provingBar, refreshProgress, tenths, zkWorld } from "./zk-snap.ts";
import type { ZkBatchSnap } from "./zk-snap.ts";
import "./zk.css";

/** Batch sizes a prover picks from: proving time and cost grow with the size, verification does not. */
const BATCH_SIZES = [4, 8, 16, 32, 64, 128] as const;
const CHEAT_MINT_ETH = 5;
/** L1 gas of verifying any batch, besides its state diff (when that goes as calldata). */
const VERIFY_GAS = ZK_VERIFY_GAS + ZK_COMMIT_GAS;

/** Where a batch's state diff goes on L1, as `zk:prove { da }` takes it (the sequencer's two buttons, as a choice). */
const DA_CHOICES = [
  ["blob", "in a blob (EIP-4844: its own fee market, ~127 KB a blob)"],
  ["calldata", "as calldata (16 gas a byte: how zkSync posted before March 2024)"],
] as const;

const ACK_TEXT: Record<string, string> = {
  "zk:prove": "Proving started: the proof goes to L1's verifier by itself when it is ready.",
  "zk:submitProof": "Proof sent to L1's verifier.",
};

/**
 * The prover: takes the oldest waiting transactions into a batch and pays to prove it; the
 * proof goes to L1 by itself when ready and the batch is final once it verifies. A batch that
 * lies about the state (the cheat) gets a proof that L1 can never verify.
 */
export function createZkProverView(ctx: PlayContext): View {
  const { conn, me } = ctx;
  const waiting = h("strong", { class: "amount zk-big" }, "0");
  const l1 = h("strong", { class: "amount" }, "—");
  const l2 = h("strong", { class: "amount" }, "—");
  const spent = h("strong", { class: "amount" }, "—");
  const record = h("strong", { class: "amount" }, "—");
  const sentProofs = new Set<number>();
  let pending = 0;

  const offError = conn.onError((error) => {
    if (error.type === "zk:submitProof") sentProofs.clear();
  });

  let latest: Snapshot | null = null;
  const size = h("select", { name: "batch-size", onchange: () => latest && showChoice(latest) }, ...BATCH_SIZES.map((n) => h("option", { value: String(n), selected: n === 16 }, `up to ${n} transactions`)));
  // Not a live region: it moves with every queued transaction and base-fee change.
  const estimate = h("p", { class: "zk-estimate" });
  const proveButton = h("button", { type: "submit", class: "big" }, "Prove a batch");
  const da = h("select", { name: "da", onchange: () => latest && showChoice(latest) }, ...DA_CHOICES.map(([value, label]) => h("option", { value, selected: value === "blob" }, label)));
  const daChoice = (): "blob" | "calldata" => (da.value === "calldata" ? "calldata" : "blob");
  const proveForm = h("form", { class: "action-form", onsubmit: (e: Event) => {
    e.preventDefault();
    conn.send("zk:prove", { maxTxs: Number(size.value), da: daChoice() });
  } }, field("Batch size", size, "Bigger batches take longer to prove, but L1 verifies any batch for the same gas."),
  field("State diff goes to L1", da, "The debrief shows what the round's diffs cost, and what they would have cost the other way."), estimate, proveButton);

  const cheatButton = h("button", { type: "button", class: "danger", onclick: () => conn.send("zk:prove", { maxTxs: Number(size.value), da: daChoice(), cheat: { kind: "mint", amount: eth(CHEAT_MINT_ETH) } }) }, `Prove a batch that mints ${CHEAT_MINT_ETH} ETH for me`);
  const cheat = h("details", { class: "cheat" },
    h("summary", {}, "Cheat (it cannot work)"),
    h("p", {}, `You can commit to a state where ${CHEAT_MINT_ETH} ETH appears in your account, and a proof will be produced — but L1's verifier checks the proof against the real state roots, and a proof of a false state never verifies.`),
    h("p", { class: "verdict verdict-fraud" }, "✗ L1 will reject this batch: you pay for proving, lose 100 points, and every batch built after it is dropped and proven again."),
    cheatButton);

  const batchList = h("ul", { class: "rows", "aria-label": "Batches", "aria-live": "polite" });
  const batchesEmpty = h("p", { class: "muted" }, "No batch yet: prove the first one.");

  const el = h("div", { class: "role-view zk-prover-view" },
    panel("Waiting to be proven",
      h("div", { class: "stats" }, stat("Transactions waiting", waiting), stat("Your L1 balance", l1), stat("Your ZK rollup balance (with fees earned)", l2), stat("You paid for proving", spent), stat("Your batches verified / rejected", record)),
      h("p", { class: "zk-rule" }, "You earn the users' fees and +2 points per transaction once your batch verifies on L1.")),
    panel("Prove a batch", proveForm),
    panel("Batches", batchesEmpty, batchList),
    h("section", { class: "panel" }, cheat),
  );

  const renderEstimate = (s: Snapshot): string => {
    const n = Math.min(Number(size.value), pending);
    if (n === 0) return "Nothing to prove yet: wait for users' transactions.";
    const verifyFee = VERIFY_GAS * s.world.baseFee;
    const perTx = Math.round((provingCost(n) + verifyFee) / n);
    const diff = daChoice() === "blob"
      ? "plus one blob for the state diff at the blob base fee (next to nothing while blocks carry fewer blobs than their target)"
      : "plus the state diff's bytes as calldata, 16 gas a non-zero byte on top of that gas";
    return `A batch of ${n}: proving takes ${tenths(provingTimeMs(n))} and costs ${formatFee(provingCost(n))}; sending the proof to L1 costs ${VERIFY_GAS.toLocaleString("en")} gas whatever its size (${ZK_VERIFY_GAS.toLocaleString("en")} of it to check the proof; ≈ ${formatFee(verifyFee)} at ${s.world.baseFee} gwei), ${diff}. About ${formatFee(perTx)} per transaction before the diff.`;
  };

  /** The estimate and the button follow the chosen size and what is waiting. */
  const showChoice = (s: Snapshot): void => {
    const n = Math.min(Number(size.value), pending);
    setText(estimate, renderEstimate(s));
    setText(proveButton, n > 0 ? `Prove a batch of ${n}` : "Prove a batch");
    setDisabled(proveButton, n === 0);
  };

  const renderBatch = (s: Snapshot, b: ZkBatchSnap): HTMLElement => {
    const mine = b.prover === me;
    const row = h("li", { class: `row zk-batch-${b.status}${mine ? " zk-mine" : ""}` },
      h("span", { class: "row-main" }, `Batch #${b.id} · ${b.txCount} tx · ${mine ? "yours" : nameOf(s, b.prover)}`),
      h("span", { class: "badge" }, ZK_BATCH_STATUS[b.status] ?? b.status));
    if (b.status === "proving") row.appendChild(provingBar(b));
    const details: string[] = [];
    if (b.provenAtMs >= 0) details.push(`proved in ${tenths(b.provenAtMs - b.startedAtMs)}`);
    if (b.verifiedAtMs >= 0) details.push(`final ${tenths(b.verifiedAtMs - b.startedAtMs)} after proving began`);
    if (b.status === "rejected") details.push("a false proof never verifies: its honest transactions went back to the queue");
    if (mine) details.push(`proving cost ${formatFee(provingCost(b.txCount))}`);
    if (b.da) details.push(b.da === "blob" ? "state diff in a blob" : "state diff as calldata");
    if (details.length) row.appendChild(h("span", { class: "row-detail" }, details.join(" · ")));
    if (mine && b.status === "proven") {
      const sent = sentProofs.has(b.id);
      row.appendChild(h("button", { type: "button", "data-fk": `submit-${b.id}`, disabled: sent, onclick: () => {
        sentProofs.add(b.id);
        conn.send("zk:submitProof", { batchId: b.id });
      } }, sent ? "Proof sent: waiting for L1…" : "Send the proof to L1 now"));
    }
    return row;
  };

  return {
    acks: ACK_TEXT,
    el,
    // A cheat's proof never verifies: say what the attempt cost.
    losses: (s) => zkWorld(s).batches.filter((b) => b.prover === me && b.status === "rejected").map((b) => ({
      id: `rejected-${b.id}`,
      what: `L1's verifier rejected your batch #${b.id}: no proof can make a false state verify.`,
      cost: `${-POINTS.fraudCaught} points, and the proving cost you paid for nothing; its honest transactions went back to the queue.`,
      couldHave: "Proved honest batches: with validity proofs, cheating is not risky, it is impossible.",
    })),
    update(s) {
      latest = s;
      const wallet = s.players[me]?.wallet;
      const world = zkWorld(s);
      pending = world.pending;
      const mine = world.batches.filter((b) => b.prover === me);
      setText(waiting, String(pending));
      setText(l1, formatEth(wallet?.l1Balance ?? 0));
      setText(l2, formatEth(wallet?.l2Balance ?? 0, 5));
      setText(spent, formatFee(mine.reduce((sum, b) => sum + provingCost(b.txCount), 0)));
      setText(record, `${mine.filter((b) => b.status === "verified").length} ✓ / ${mine.filter((b) => b.status === "rejected").length} ✗`);
      showChoice(s);

      const batches = [...world.batches].reverse();
      setHidden(batchesEmpty, batches.length > 0);
      syncList(batchList, batches, (b) => String(b.id), (b) => `${b.status}|${b.verifiedAtMs}|${sentProofs.has(b.id)}`, (b) => renderBatch(s, b));
      refreshProgress(batchList, new Map(world.batches.map((b) => [b.id, b])));
    },
    dispose() {
      offError();
    },
  };
}
