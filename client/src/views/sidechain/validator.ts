import { signMessage } from "../../../../shared/crypto/sign.ts";
import { checkpointMessage, blockVoteMessage, withdrawalMessage } from "../../../../shared/engine/sidechain/messages.ts";
import { BRIDGE_DESIGN_LABEL } from "../../../../shared/engine/sidechain/params.ts";
import { nameOf } from "../../net/snapshot.ts";
import type { Snapshot } from "../../net/snapshot.ts";
import { h, setHidden, setText, syncList } from "../../ui/dom.ts";
import { formatEth, formatSeconds } from "../../ui/format.ts";
import { showNotice } from "../../ui/messages.ts";
import { panel, stat } from "../view.ts";
import type { PlayContext, View } from "../view.ts";
import { SIDECHAIN_POINTS } from "../../../../shared/engine/sidechain/round.ts";
import { bridgeSeatOf, sideWorld, signatureBar } from "./side-snap.ts";
import { sidechainLosses } from "./losses.ts";
import { canStartHeist, heistAcks, heistAsk, heistStanding, heistThreshold, signHeistAs, stakeBehind } from "./heist-terms.ts";
import type { HeistSnap, SideAttemptSnap } from "./side-snap.ts";
import "./sidechain.css";

/** Share of the escrow a heist you plan asks for (as the bots do: what is paid out meanwhile cannot make it revert). */
const HEIST_SHARE = 0.9;

/**
 * A validator: while "online", this browser signs every block, checkpoint and withdrawal with
 * the player's own key (honest duty needs no clicks). The one real choice is the heist: an
 * attacker holding stolen keys (as Ronin's held 5 of 9) asks yours to join — sign, or refuse.
 * A heist scores nothing; what it needs, and the text it signs, follow the round's bridge.
 */
export function createSidechainValidatorView(ctx: PlayContext): View {
  const { conn, me, key } = ctx;
  // Filled per bridge design on every update: the play screen reads them when an ack arrives.
  const acks: Record<string, string> = heistAcks({ design: "multisig", m: 0, n: 0 });
  const stake = h("strong", { class: "amount" }, "—");
  const seatText = h("strong", { class: "amount" }, "—");
  const signedCount = h("strong", { class: "amount" }, "0");
  const vote = h("p", { class: "side-vote", "aria-live": "off" });
  const voteBar = h("progress", { max: "3", value: "0", "aria-label": "Stake that signed the block up for votes" });
  const online = h("input", { type: "checkbox", id: "side-online", checked: true });
  const heistList = h("ul", { class: "rows side-heists", "aria-live": "assertive", "aria-label": "Heists you are invited to" });
  const heistNone = h("p", { class: "muted" }, "No heist in play.");
  const bridgeRule = h("p", { class: "hint" });
  const plan = h("button", { type: "button", class: "danger secondary", onclick: () => {
    if (!latest) return;
    conn.send("sidechain:heistPropose", { amount: Math.floor(sideWorld(latest).escrow * HEIST_SHARE) });
  } }, "Play the attacker: start a heist with your key");
  const attemptList = h("ul", { class: "rows", "aria-label": "Bridge releases with no burn behind them" });
  const attemptsNone = h("p", { class: "muted" }, "None yet.");
  const signedBlocks = new Set<string>();
  const signedCheckpoints = new Set<number>();
  const signedWithdrawals = new Set<number>();
  const refused = new Set<number>();
  let latest: Snapshot | null = null;


  const el = h("div", { class: "role-view side-validator-view" },
    panel("You are a validator",
      h("div", { class: "stats" }, stat("Your stake", stake), stat("Your weight on the bridge", seatText), stat("Block votes you sent", signedCount)),
      h("div", { class: "field side-online" }, online, h("label", { for: "side-online" }, "Online: sign blocks, checkpoints and withdrawals automatically")),
      h("p", { class: "hint" }, `Honest work pays: +${SIDECHAIN_POINTS.blockSigned} per block, +${SIDECHAIN_POINTS.checkpointSigned} per checkpoint, +${SIDECHAIN_POINTS.withdrawalApproved} per withdrawal you approve.`)),
    panel("Block up for votes", vote, voteBar),
    panel("The heist", bridgeRule, heistNone, heistList, plan,
      h("p", { class: "hint" }, `A heist is an attacker's, with stolen keys (as Ronin's was): it scores nothing, and each key behind a theft costs ${SIDECHAIN_POINTS.heistCaught} when an auditor raises the alarm.`)),
    panel("Releases with no burn behind them (public on L1)", attemptsNone, attemptList),
  );

  /** Honest duty while online: one signature per block, checkpoint and (as a bridge signer) withdrawal. */
  const signDuties = (s: Snapshot): void => {
    const world = sideWorld(s);
    if (!world.validators.some((v) => v.id === me)) return;
    const p = world.proposal;
    if (p && !p.signers.includes(me) && !signedBlocks.has(p.hash)) {
      signedBlocks.add(p.hash);
      conn.send("sidechain:signBlock", { hash: p.hash, sig: signMessage(key.secretKey, blockVoteMessage(p.hash)) });
    }
    const c = world.openCheckpoint;
    if (c && !c.signers.includes(me) && !signedCheckpoints.has(c.number)) {
      signedCheckpoints.add(c.number);
      conn.send("sidechain:signCheckpoint", { number: c.number, sig: signMessage(key.secretKey, checkpointMessage(c.number, c.startHeight, c.endHeight, c.root)) });
    }
    // Only Ronin's multisig pays on signatures; Polygon's checkpoint bridge pays a burn proof and refuses them.
    if (world.design !== "multisig" || !world.signers.includes(me)) return;
    for (const w of world.withdrawals) {
      if (w.signers.includes(me) || signedWithdrawals.has(w.nonce)) continue;
      signedWithdrawals.add(w.nonce);
      conn.send("sidechain:signWithdrawal", { nonce: w.nonce, sig: signMessage(key.secretKey, withdrawalMessage(w.to, w.amount, w.nonce)) });
    }
  };

  const renderHeist = (s: Snapshot, heist: HeistSnap): HTMLElement => {
    const world = sideWorld(s);
    const mine = heist.organizer === me;
    const standing = heistStanding(world, heist.signatures, heist.signedStake ?? 0);
    const progress = world.design === "checkpoint"
      ? h("span", { class: "side-progress" },
        h("progress", { max: String(Math.max(1, world.totalStake)), value: String(Math.min(heist.signedStake ?? 0, world.totalStake)), "aria-label": `Stake on heist ${heist.id}` }),
        h("span", {}, `${standing.enough ? "✓ " : ""}${standing.held} (more than ⅔ needed)`))
      : signatureBar(heist.signatures, world.m, `Keys on heist ${heist.id}`);
    const row = h("li", { class: "row side-heist" },
      h("span", { class: "row-main" }, mine
        ? `⚠ Your heist: ${heistAsk(world, formatEth(heist.amount), "you")} — nobody burned for it.`
        : `⚠ ${nameOf(s, heist.organizer)}'s key is in an attacker's hands: it asks yours to sign ${heistAsk(world, formatEth(heist.amount), "the attacker")} — nobody burned for it.`),
      progress,
      h("span", { class: "row-detail" }, standing.missing));
    if (heist.status === "submitted") {
      row.appendChild(h("span", { class: "badge" }, world.design === "checkpoint" ? "→ forged checkpoint on its way to L1" : "→ release on its way to L1"));
      return row;
    }
    if (!heist.signed && !mine && !refused.has(heist.id)) {
      row.append(
        h("button", { type: "button", class: "danger", "data-fk": `heist-sign-${heist.id}`, onclick: () => {
          // The text the engine checks for this round's bridge: a release (multisig) or a forged checkpoint (checkpoint bridge).
          conn.send("sidechain:heistSign", { id: heist.id, sig: signHeistAs(key.secretKey, heist, sideWorld(s)) });
        } }, "Sign the heist with your key"),
        h("button", { type: "button", class: "secondary", "data-fk": `heist-refuse-${heist.id}`, onclick: () => {
          refused.add(heist.id);
          showNotice("You refused. Your key stays off it — unless enough others sign anyway.");
          if (latest) update(latest);
        } }, "Refuse"));
    } else if (heist.signed && !mine) {
      row.appendChild(h("span", { class: "badge" }, "✍ you signed"));
    } else if (refused.has(heist.id)) {
      row.appendChild(h("span", { class: "badge" }, "⊘ you refused"));
    }
    if (mine) {
      row.appendChild(h("button", { type: "button", class: "danger", "data-fk": `heist-release-${heist.id}`, onclick: () => conn.send("sidechain:heistRelease", { id: heist.id }) },
        standing.enough ? "Drain the bridge now" : `Try with ${standing.held}`));
    }
    return row;
  };

  const renderAttempt = (s: Snapshot, a: SideAttemptSnap): HTMLElement => {
    const world = sideWorld(s);
    const { held } = heistStanding(world, a.signatures, stakeBehind(world, a.signers));
    return h("li", { class: `row side-attempt-${a.outcome}` },
      h("span", { class: "row-main" }, a.outcome === "drained" ? `✗ Drained ${formatEth(a.amount)} with ${held}` : `⊘ Refused: only ${held}, the bridge needs ${heistThreshold(world)}`),
      h("span", { class: "row-detail" }, `Signed by ${a.signers.map((id) => (id === me ? "you" : nameOf(s, id))).join(", ")}`));
  };

  const update = (s: Snapshot): void => {
    latest = s;
    const world = sideWorld(s);
    if (online.checked) signDuties(s);
    const mine = world.validators.find((v) => v.id === me);
    const { seat, heists } = bridgeSeatOf(s, me);
    Object.assign(acks, heistAcks(world));
    setText(stake, mine ? formatEth(mine.stake) : "not staked");
    setText(seatText, world.design === "checkpoint"
      ? `${mine ? Math.round((100 * mine.stake) / Math.max(1, world.totalStake)) : 0} % of the stake`
      : seat >= 0 ? `#${seat + 1} of ${world.n} (${world.m} needed)` : "none");
    setText(bridgeRule, world.design === "checkpoint"
      ? `This round's bridge: ${BRIDGE_DESIGN_LABEL.checkpoint}. A heist needs ${heistThreshold(world)} to sign a checkpoint over a block that never was; the number of keys does not matter.`
      : `This round's bridge: ${BRIDGE_DESIGN_LABEL.multisig}. A heist needs ${heistThreshold(world)} to sign a release nobody burned for; the multisig cannot see the sidechain.`);
    setText(signedCount, String(signedBlocks.size));
    const p = world.proposal;
    if (p) {
      const left = Math.max(0, p.timeMs + world.roundTimeoutMs - s.world.nowMs);
      setText(vote, `Block #${p.height} by ${nameOf(s, p.proposer)}: ${p.signers.length} of ${world.validatorCount} signed (${Math.round((100 * p.signedStake) / Math.max(1, world.totalStake))} % of stake; more than ⅔ commits it) · ${formatSeconds(left)} before it times out`);
      voteBar.max = world.totalStake;
      voteBar.value = p.signedStake;
    } else {
      setText(vote, `Block #${world.height} committed; the next is proposed within ${formatSeconds(world.blockIntervalMs)}.`);
      voteBar.value = 0;
    }
    setHidden(heistNone, heists.length > 0);
    syncList(heistList, heists, (x) => String(x.id), (x) => `${x.status}|${x.signatures}|${x.signedStake ?? 0}|${x.signed}|${refused.has(x.id)}|${world.design}|${world.m}|${world.totalStake}`, (x) => renderHeist(s, x));
    setHidden(plan, !canStartHeist(world, seat, me) || heists.length > 0 || world.escrow === 0);
    const attempts = world.attempts.slice().reverse();
    setHidden(attemptsNone, attempts.length > 0);
    syncList(attemptList, attempts, (a) => `${a.atMs}-${a.outcome}`, (a) => `${a.signers.join(",")}|${world.design}`, (a) => renderAttempt(s, a));
  };

  return {
    acks,
    el,
    update,
    losses: (s: Snapshot) => sidechainLosses(s, me),
    dispose() {
    },
  };
}
