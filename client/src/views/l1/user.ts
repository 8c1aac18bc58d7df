import { DEFAULT_CONFIG } from "../../../../shared/engine/config.ts";
import { nameOf } from "../../net/snapshot.ts";
import type { Snapshot } from "../../net/snapshot.ts";
import { h, setHidden, setText, syncList } from "../../ui/dom.ts";
import { formatEth, formatSeconds, parseEth } from "../../ui/format.ts";
import { showError } from "../../ui/messages.ts";
import { syncRecipients } from "../recipients.ts";
import { ethInput, field, panel, stat } from "../view.ts";
import type { PlayContext, View } from "../view.ts";
import { baseFeeTrend, l1World, sentTransfers } from "./l1-snap.ts";
import type { SentSnap } from "./l1-snap.ts";
import "./l1.css";

/** Gas of a plain L1 transfer. */
const TRANSFER_GAS = DEFAULT_CONFIG.gas.transfer;
const LOW_TIP = 1;
const NORMAL_TIP = 3;
/** "Jump the queue" outbids the highest tip waiting, and is never below this (gwei per gas). */
const MIN_JUMP_TIP = 10;

type TipChoice = "low" | "normal" | "jump";

/** A fee in ETH with enough digits for a 21,000-gas transfer. */
function feeEth(gwei: number): string {
  return formatEth(gwei, 6);
}

/** What the server's ack of each of this view's messages means (shown by the play screen). */
const ACKS: Record<string, string> = {
  "l1:send": "Sent to the L1 mempool: it waits for a block producer to pick it.",
};

/**
 * "L1 rush hour": pay someone on L1 itself, choosing a tip (and maybe a fee cap), and watch the
 * base fee climb as the whole class fills the blocks.
 */
export function createL1UserView(ctx: PlayContext): View {
  const { conn, me } = ctx;
  const balance = h("strong", { class: "amount" }, "—");
  const baseFee = h("strong", { class: "amount" }, "—");
  const trend = h("span", { class: "l1-trend" });
  const mempool = h("strong", { class: "amount" }, "—");
  const mempoolNote = h("span", { class: "hint" });
  const nextBlock = h("span", { class: "hint" });
  let latest: Snapshot | null = null;
  let jumpTip = MIN_JUMP_TIP;


  const rule = h("p", { class: "l1-rule" });
  const toSelect = h("select", { name: "to", required: true });
  const amount = ethInput("0.05", "amount");
  const tipInputs: Record<TipChoice, HTMLInputElement> = {
    low: h("input", { type: "radio", name: "tip", value: "low", id: "l1-tip-low" }),
    normal: h("input", { type: "radio", name: "tip", value: "normal", id: "l1-tip-normal", checked: true }),
    jump: h("input", { type: "radio", name: "tip", value: "jump", id: "l1-tip-jump" }),
  };
  const tipTexts: Record<TipChoice, HTMLElement> = { low: h("span"), normal: h("span"), jump: h("span") };
  const tipOption = (choice: TipChoice, title: string) =>
    h("label", { class: "l1-tip", for: tipInputs[choice].id }, tipInputs[choice], h("span", { class: "l1-tip-title" }, title), tipTexts[choice]);
  const capCheck = h("input", { type: "checkbox", id: "l1-cap" });
  const capValue = h("input", { type: "number", inputmode: "numeric", min: "1", step: "1", name: "maxFee", autocomplete: "off" });
  const capField = field("Max fee (gwei per gas)", capValue, "If the base fee climbs above your cap, your transfer is not included: it waits until the base fee falls back.");
  // Not a live region: it moves with the base fee every block. What changed for you is said in `news`.
  const estimate = h("p", { class: "l1-estimate" });

  const tipOf = (choice: TipChoice): number => (choice === "low" ? LOW_TIP : choice === "normal" ? NORMAL_TIP : jumpTip);
  const chosenTip = (): number => tipOf((Object.keys(tipInputs) as TipChoice[]).find((c) => tipInputs[c].checked) ?? "normal");

  const form = h("form", { class: "action-form", onsubmit: (e: Event) => {
    e.preventDefault();
    const value = parseEth(amount.value);
    if (value === null) return showError("Type an amount in ETH, more than 0.");
    if (!toSelect.value) return showError("Pick who to pay.");
    const tip = chosenTip();
    if (!capCheck.checked) return void conn.send("l1:send", { to: toSelect.value, amount: value, tip });
    const maxFee = Number(capValue.value);
    if (!Number.isSafeInteger(maxFee) || maxFee < tip) return showError(`Your max fee must be a whole number of gwei, at least your tip (${tip}).`);
    conn.send("l1:send", { to: toSelect.value, amount: value, tip, maxFee });
  } },
  field("Pay to", toSelect),
  field("Amount (ETH)", amount),
  h("fieldset", { class: "l1-tips" }, h("legend", {}, "Tip to the block producer"),
    tipOption("low", "Low"), tipOption("normal", "Normal"), tipOption("jump", "Jump the queue")),
  h("label", { class: "check", for: capCheck.id }, capCheck, "Cap my fee"),
  capField,
  estimate,
  h("button", { type: "submit", class: "big" }, "Pay on L1"));

  const sentList = h("ul", { class: "rows", "aria-label": "Your L1 transfers" });
  const news = h("p", { class: "visually-hidden", "aria-live": "polite" });
  const settled = new Set<string>();
  let primed = false;
  const sentEmpty = h("p", { class: "muted" }, "Nothing sent yet.");

  const el = h("div", { class: "role-view l1-user-view" },
    panel("L1 at rush hour",
      h("div", { class: "stats" },
        stat("Your L1 balance", balance),
        h("div", { class: "stat" }, h("span", { class: "stat-label" }, "Base fee now (gwei per gas)"), baseFee, trend),
        h("div", { class: "stat" }, h("span", { class: "stat-label" }, "Waiting in the mempool"), mempool, mempoolNote, nextBlock)),
      rule),
    // On a phone the form comes first (the figures above it filled the screen); the figures follow.
    Object.assign(panel("Pay someone on L1", form), { className: "panel pay-first" }),
    panel("Your transfers", sentEmpty, sentList, news),
  );

  /** The estimate follows the tip, the cap and the base fee. */
  const showChoice = (s: Snapshot): void => {
    const base = s.world.baseFee;
    for (const choice of Object.keys(tipInputs) as TipChoice[]) {
      const tip = tipOf(choice);
      setText(tipTexts[choice], `${tip} gwei/gas · ≈ ${feeEth(TRANSFER_GAS * (base + tip))}`);
    }
    setHidden(capField, !capCheck.checked);
    if (capCheck.checked && !capValue.value) capValue.value = String(base + chosenTip());
    const tip = chosenTip();
    const cap = capCheck.checked ? Number(capValue.value) : 2 * base + tip;
    const priced = Number.isFinite(cap) && cap < base;
    setText(estimate, priced
      ? `Your cap (${cap} gwei) is below the base fee (${base} gwei): your transfer would wait until the base fee falls.`
      : `Fee now: ${TRANSFER_GAS.toLocaleString("en")} gas × (${base} base + ${tip} tip) gwei = ${feeEth(TRANSFER_GAS * (base + tip))}. The base fee part is burned.`);
    estimate.classList.toggle("l1-warning", priced);
  };
  for (const input of [...Object.values(tipInputs), capCheck, capValue]) input.addEventListener("input", () => latest && showChoice(latest));

  /** A transfer's state in words: waiting (for how long, how far back in line), included (after how long, for what fee) or dropped. */
  const sentState = (s: Snapshot, t: SentSnap, perBlock: number): [string, string | null] => {
    if (t.status === "included") return [`✓ included after ${formatSeconds(t.waitMs ?? 0)}`, `fee paid ${feeEth(t.fee ?? 0)}`];
    if (t.status === "dropped") return ["✗ dropped", t.reason ?? null];
    const where = t.ahead === undefined
      ? `⊘ priced out: your cap ${t.maxFee} < base fee ${s.world.baseFee}`
      : t.ahead < perBlock ? "in line for the next block" : `${t.ahead} ahead of you (~${Math.ceil((t.ahead + 1) / perBlock)} blocks)`;
    return [`○ waiting ${formatSeconds(s.world.nowMs - t.atMs)}`, where];
  };

  const renderSent = (s: Snapshot, t: SentSnap, perBlock: number): HTMLElement => {
    const [badge, detail] = sentState(s, t, perBlock);
    return h("li", { class: `row l1-${t.status}` },
      h("span", { class: "row-main" }, `Pay ${formatEth(t.amount)} → ${nameOf(s, t.to)}`),
      h("span", { class: "badge" }, badge),
      h("span", { class: "row-detail" }, [detail, `tip ${t.tip} gwei/gas · max fee ${t.maxFee} gwei/gas`].filter(Boolean).join(" · ")));
  };

  return {
    acks: ACKS,
    el,
    update(s) {
      latest = s;
      const world = l1World(s);
      jumpTip = Math.max(MIN_JUMP_TIP, (world.tips[0]?.[0] ?? 0) + 1);
      setText(balance, formatEth(s.players[me]?.wallet?.l1Balance ?? 0));
      const t = baseFeeTrend(s);
      setText(baseFee, `${s.world.baseFee} ${t.glyph}`);
      setText(trend, t.words);
      setText(mempool, String(s.world.l1MempoolSize));
      setText(rule, `Everyone pays on L1 at once. A block holds ${world.perBlock} transfers; each block more than half full raises the base fee 12.5 %. The highest tips go first.`);
      const inLine = Math.max(0, s.world.l1MempoolSize - world.pricedOut);
      const blocks = Math.ceil(inLine / world.perBlock);
      setText(mempoolNote, `${inLine} in line: ${blocks <= 1 ? "fits in the next block" : `${blocks} blocks' worth`}${world.pricedOut ? ` · ${world.pricedOut} priced out` : ""}`);
      const lastBlockMs = s.world.blocks.at(-1)?.timeMs;
      setText(nextBlock, lastBlockMs === undefined ? "" : `next block in ${formatSeconds(lastBlockMs + s.world.blockTimeMs - s.world.nowMs)}`);
      syncRecipients(toSelect, s, me);
      showChoice(s);
      const sent = sentTransfers(s, me);
      // Say once when one of your transfers got into a block or was dropped.
      for (const t of sent) {
        if (t.status === "waiting" || settled.has(t.id)) continue;
        settled.add(t.id);
        if (primed) setText(news, `Your payment to ${nameOf(s, t.to)}: ${sentState(s, t, world.perBlock).join(", ")}.`);
      }
      primed = true;
      setHidden(sentEmpty, sent.length > 0);
      syncList(sentList, sent, (x) => x.id, (x) => `${x.status}|${x.ahead ?? "-"}|${x.status === "waiting" ? Math.floor((s.world.nowMs - x.atMs) / 1000) : ""}|${x.status === "waiting" && x.ahead === undefined ? s.world.baseFee : ""}`, (x) => renderSent(s, x, world.perBlock));
    }
  };
}
