import type { ScenarioRound } from "../debrief-types.ts";
import type { ScenarioConfig } from "../config.ts";
import { blobMarketInWords, costComparison, dataCostFigure } from "../cost.ts";
import type { Debrief } from "../debrief-types.ts";
import { POINTS } from "../points.ts";
import { eth, seconds, times } from "../words.ts";
import { COMMIT_GAS, PLASMA_EVENTS } from "./constants.ts";
import { plasmaDebrief } from "./debrief.ts";
import type { PlasmaDebrief } from "./debrief.ts";
import type { LossReason } from "./losses.ts";
import { EXIT_ORDER_WORDS, childBlockLabel } from "./views.ts";

/** The debrief lists at most this many player losses, biggest first. */
const LOSSES_LISTED = 40;

/** A successful challenge of an exit of a spent coin: the watcher's reward in points (the bond pays it in ETH). */
const CHALLENGE_WON = 50;

/** Points for Plasma events: deposits, payments, honest blocks, exits paid in full, challenges; a forged exit paid is the operator's "fraud missed". */
function score(name: string, data: Record<string, unknown>): [string, number][] {
  const who = (key: string) => (typeof data[key] === "string" ? (data[key] as string) : null);
  const n = (key: string) => (typeof data[key] === "number" ? (data[key] as number) : 0);
  switch (name) {
    case PLASMA_EVENTS.deposited: {
      const owner = who("owner");
      return owner ? [[owner, POINTS.depositCredited]] : [];
    }
    case PLASMA_EVENTS.txAccepted: {
      // Only a payment to someone else scores: paying yourself (splitting coins) would farm points.
      const by = who("by");
      const paysOther = Array.isArray(data.recipients) && data.recipients.some((r) => r !== by);
      return by && paysOther ? [[by, POINTS.softConfirmed]] : [];
    }
    case PLASMA_EVENTS.blockCommitted: {
      const operator = who("operator");
      return operator && data.dataAvailable === true ? [[operator, n("txCount") * POINTS.batchTxFinal]] : [];
    }
    case PLASMA_EVENTS.exitPaid: {
      const owner = who("owner");
      if (!owner) return [];
      if (data.forged === true) return [[owner, POINTS.fraudMissed]];
      return n("shortfall") === 0 ? [[owner, POINTS.withdrawalFinalized]] : [];
    }
    case PLASMA_EVENTS.exitChallenged: {
      const challenger = who("challenger");
      const owner = who("owner");
      if (!challenger || !owner) return [];
      // Exiting a coin you spent in a block whose data is withheld is no fraud: you could not see the block.
      return data.spendPublished === false ? [[challenger, CHALLENGE_WON]] : [[challenger, CHALLENGE_WON], [owner, POINTS.fraudCaught]];
    }
    default:
      return [];
  }
}

/** Each reason for money not coming home, in words. */
export const LOSS_REASON_TEXT: Record<LossReason, string> = {
  congestion: "exit stuck in L1's mempool (congestion)",
  queue: "exit still queued behind higher-priority exits / in its challenge period",
  notExited: "never exited from a chain with hidden data",
  stolen: "coin stolen by the operator, never exited",
  shortfall: "paid short: the escrow ran dry",
  bond: "exit of a spent coin challenged: bond lost",
};

function sumBy(p: PlasmaDebrief, reason: LossReason): { amount: number; players: number } {
  const rows = p.losses.filter((loss) => loss.reason === reason);
  return { amount: rows.reduce((sum, row) => sum + row.amount, 0), players: new Set(rows.map((row) => row.player)).size };
}

const blockNames = (numbers: number[]): string => numbers.map((n) => `#${childBlockLabel(n)}`).join(", ");

/** The Plasma round's sentences, from its figures. */
function storyOf(d: Debrief, p: PlasmaDebrief, config: ScenarioConfig): string[] {
  const lines: string[] = [];
  lines.push(
    `${times(p.offChainTxs, "payment was", "payments were")} made on the Plasma chain; the operator committed ${times(p.blocksCommitted, "block root", "block roots")} to L1 ` +
      `at ${COMMIT_GAS.toLocaleString("en-US")} gas each, whatever the block held` +
      (p.blobCommits === 0
        ? " — the data itself never went to L1."
        : `; ${times(p.blobCommits, "commit", "commits")} also carried the block's transactions in ${times(p.data?.blobs ?? 0, "EIP-4844 blob", "EIP-4844 blobs")} beside the root — ` +
          `blocks nobody could withhold — and ${times(p.rootOnlyCommits, "commit", "commits")} the root alone, the data kept off L1.`),
  );
  const data = p.data;
  if (data && p.blocksCommitted > 0) {
    const cheaper = data.asBlobs > 0 ? Math.round(data.asCalldata / data.asBlobs) : null;
    lines.push(
      `The commits cost ${eth(p.commitFees)} on L1. Of that, the blocks' data cost ${eth(data.paid)}` +
        (p.blobCommits === 0 ? " (none of it went to L1)" : ` (in blobs, burned)`) +
        `; putting all of it on L1 would have cost ${eth(data.asBlobs)} in blobs or ${eth(data.asCalldata)} as calldata at those blocks' prices` +
        (cheaper !== null && cheaper > 1 ? ` — blobs ${cheaper.toLocaleString("en-US")}× cheaper.` : ".") +
        " Blobs solved the data availability problem Plasma died of: a block in a blob is on L1 for everyone to read (about 18 days on Ethereum, longer than the exit game), so it cannot be withheld.",
    );
  }
  if (d.l1.blobs > 0) lines.push(blobMarketInWords(d.l1.blobs, d.l1.blobBaseFeeMaxWei, config.blobSchedule));
  if (p.blocksWithheld > 0) {
    lines.push(
      `The operator withheld the data of block ${blockNames(p.withheldBlockNumbers)}` +
        (p.stolenCoins > 0 ? ` and hid a theft in it: ${times(p.stolenCoins, "coin", "coins")} (${eth(p.stolenValue)}) of ${times(p.victims.length, "player", "players")} moved to itself without their signatures.` : ".") +
        " Nobody else could check the block or prove anything about it, so the only defence was to exit.",
    );
    if (p.stolenCoins > 0) {
      lines.push(
        (p.recoveredByVictims > 0
          ? `The victims got ${eth(p.recoveredByVictims)} of the stolen ${eth(p.stolenValue)} back by exiting their old coins in time — the contract cannot tell a forged spend from a real one, but it pays exits in priority order, and an exit started within one challenge period of the withheld block ranks ahead of every coin that block made`
          : `No victim got a stolen coin back by exiting it in time`) +
          `; the operator's forged exits were paid ${eth(p.paidToForgedExits)} — other users' money.`,
      );
    }
  } else {
    lines.push("The operator published every block's data: nobody had to run for the exit.");
  }
  const out = p.exitsStuck.length;
  // Requests count fee bumps too; a coin that tried to leave either got into a block or still waits in the mempool.
  const tried = p.exitsStarted + p.exitsStuck.filter((exit) => exit.where === "mempool").length;
  lines.push(
    `${times(tried, "coin was", "coins were")} sent to exit on L1 with a Merkle proof (${times(p.exitsRequested, "transaction", "transactions")} with fee bumps); ${p.exitsStarted} got into an L1 block and ${p.exitsPaid} paid out (${eth(p.paidOut)}) after a ${seconds(p.exitPeriodMs)} challenge period, ${EXIT_ORDER_WORDS}, at most ${p.exitsPerBlock} per block` +
      (out > 0 ? `; ${times(out, "exit", "exits")} (${eth(p.valueStuck)}) had not got out when the round ended.` : "."),
  );
  if (p.jammedBlocks > 0) {
    lines.push(`The rush for the exit jammed L1 for ${times(p.jammedBlocks, "block", "blocks")}: exit transactions were left waiting in the mempool while the base fee climbed from ${p.baseFeeBeforeJam ?? d.l1.baseFeeStart} to ${p.peakBaseFeeDuringJam ?? d.l1.baseFeeMax} gwei per gas.`);
  }
  if (p.queueLimitedBlocks > 0) {
    lines.push(`For ${times(p.queueLimitedBlocks, "more block", "more blocks")} L1 had room, but matured exits waited on the contract's own limit of ${times(p.exitsPerBlock, "exit", "exits")} paid per block.`);
  }
  if (p.exitsChallenged > 0) lines.push(`${times(p.exitsChallenged, "exit of an already-spent coin was", "exits of already-spent coins were")} challenged with the spending transaction's Merkle proof; the ${p.exitsChallenged === 1 ? "cheater lost its" : "cheaters lost their"} bond (${eth(p.bondsForfeited)}).`);
  const reasons = (Object.keys(LOSS_REASON_TEXT) as LossReason[]).map((reason) => ({ reason, ...sumBy(p, reason) })).filter((r) => r.amount > 0);
  if (reasons.length > 0) {
    lines.push(`Money that did not come home: ${reasons.map((r) => `${eth(r.amount)} ${LOSS_REASON_TEXT[r.reason]} (${times(r.players, "player", "players")})`).join("; ")}.`);
  } else {
    lines.push("Everybody's money was safe at the end of the round.");
  }
  return lines;
}

/** A Plasma round: scored on deposits, payments, blocks, exits and challenges; debriefed on data availability and the mass exit. */
export const plasmaRound: ScenarioRound = {
  score,
  extend(debrief, events, config) {
    const p = plasmaDebrief(events);
    debrief.plasma = p;
    // What one Plasma payment cost on L1: the operator's commits over the transactions in the blocks they committed.
    debrief.cost = costComparison(debrief.l1.transferFee, p.commitFees, p.committedTxs, `the operator's ${times(p.blocksCommitted, "block commit", "block commits")} to L1`, p.data);
    const notHome = p.losses.filter((loss) => loss.reason !== "bond").reduce((sum, loss) => sum + loss.amount, 0);
    debrief.tradeOff =
      `Plasma puts only block roots on L1 (${times(p.blocksCommitted, "commit", "commits")} of ${COMMIT_GAS.toLocaleString("en-US")} gas), not the data, so it is cheap — ` +
      (p.blobCommits > 0 ? `the ${times(p.blobCommits, "block", "blocks")} whose data went in a blob as well cost ${eth(p.data?.paid ?? 0)} more and could not be withheld — ` : "") +
      (p.blocksWithheld > 0
        ? `but when the operator hid a block, users had to watch, notice and exit within the ${seconds(p.exitPeriodMs)} challenge period, all at once: L1's base fee rose to ${p.peakBaseFeeDuringJam ?? debrief.l1.baseFeeMax} gwei and ${eth(notHome)} did not get out in time.`
        : `but only because the operator chose to publish its data; had it hidden a block, everyone would have had to exit within ${seconds(p.exitPeriodMs)}, all at once.`);
    debrief.story = storyOf(debrief, p, config);
    debrief.losses = p.losses.slice(0, LOSSES_LISTED).map((loss) => ({
      player: loss.player,
      amount: loss.amount,
      why: `${LOSS_REASON_TEXT[loss.reason]}${loss.reason === "bond" ? "" : ` (${times(loss.coins, "coin", "coins")})`}`,
    }));
    debrief.figures = [
      ["Block roots committed / withheld", `${p.blocksCommitted} / ${p.blocksWithheld}`],
      ["Commits: root only / with the block's data in a blob", `${p.rootOnlyCommits} / ${p.blobCommits}`],
      // Both costs from the same blocks' prices: what the data paid, and what all of it would cost as calldata and as blobs.
      ["Block data: paid / as calldata / as blobs", dataCostFigure(p.data, eth)],
      ["Stolen by the operator", p.stolenCoins > 0 ? `${eth(p.stolenValue)} (${times(p.stolenCoins, "coin", "coins")})` : "nothing"],
      ["Exits paid / stuck / challenged", `${p.exitsPaid} / ${p.exitsStuck.length} / ${p.exitsChallenged}`],
      ["Paid out / paid to forged exits", `${eth(p.paidOut)} / ${eth(p.paidToForgedExits)}`],
      ["Base fee before → peak of the exit rush", p.peakBaseFeeDuringJam === null ? "no rush" : `${p.baseFeeBeforeJam ?? debrief.l1.baseFeeStart} → ${p.peakBaseFeeDuringJam} gwei`],
      ["ETH that did not get out", eth(notHome)],
      ["Blocks L1 jammed / exits held by the per-block limit", `${p.jammedBlocks} / ${p.queueLimitedBlocks}`],
      ["Longest exit wait", seconds(p.longestExitWaitMs)],
    ];
  },
};
