import { z } from "zod";
import { accountId, fee, gwei, hex128, hex64, objectId, positiveGwei } from "./fields.ts";

const seq = z.number().int().nonnegative().max(1_000_000_000);
/** An ed25519 signature (hex), or "" on the funding split (sequence 0), which nobody signs. */
const signature = z.union([hex128, z.literal("")]);

/** A hash-time-locked amount inside a channel state (BOLT 2 update_add_htlc); `expiryMs` is game time. At most 8 pending. */
const htlc = z.strictObject({ id: seq, offerer: accountId, amount: positiveGwei, hash: hex64, expiryMs: gwei });
const htlcs = z.array(htlc).max(8).optional();
/** A preimage: whatever the payer picked (the game's nodes pick 64 hex characters). */
const preimage = z.string().min(1).max(128);

/** A channel state both parties signed, as a client holds it (its own copy, from wallet.module). */
export const signedChannelState = z.strictObject({ seq, balanceA: gwei, balanceB: gwei, htlcs, sigA: signature, sigB: signature });

/**
 * State channel rounds ("Lightning duel"). Opening, funding, closes and penalties are L1
 * transactions; a payment is off-chain: the payer proposes the next split signed by them, the
 * partner countersigns it (both signatures made in the players' browsers or bots). A top-level
 * "seq" is the client's message number echoed in acks, so a state's sequence number travels as
 * `split.seq` / `stateSeq`.
 */
export const CHANNELS_MESSAGES = {
  /** Lock `deposit` on L1 in a new channel with `counterparty`, who adds `theirDeposit` (0: they start with nothing). */
  "channels:open": z.strictObject({ counterparty: accountId, deposit: positiveGwei, theirDeposit: gwei.optional(), ...fee }),
  /** Lock your side of a channel someone opened with you (exactly the deposit they asked for). */
  "channels:fund": z.strictObject({ channelId: objectId, ...fee }),
  /** Take your deposit back from a channel your partner never funded. */
  "channels:cancel": z.strictObject({ channelId: objectId, ...fee }),
  /**
   * The next state, signed by you: a payment to your partner ("update") or the final split of a
   * cooperative close ("close"). An update may also offer an HTLC, or remove one your partner
   * offered: with `fulfil` (its preimage, update_fulfill_htlc) or without (update_fail_htlc).
   * Pending HTLCs travel in `split.htlcs`.
   */
  "channels:propose": z.strictObject({
    channelId: objectId,
    kind: z.enum(["update", "close"]),
    split: z.strictObject({ seq, balanceA: gwei, balanceB: gwei, htlcs }),
    fulfil: z.strictObject({ htlcId: seq, preimage }).optional(),
    sig: hex128,
  }),
  /**
   * Pay `amount` to `to`, with whom you have no channel, through the hub: `preimage` is yours
   * (its SHA-256 locks every hop; the receiver learns it from the onion, keysend-style). The hub's
   * fee comes on top; your node then offers the first HTLC.
   */
  "channels:route": z.strictObject({ to: accountId, amount: positiveGwei, preimage }),
  /** After a force close: claim an HTLC output paid to you, on L1, with its preimage before it expires. */
  "channels:claimHtlc": z.strictObject({ channelId: objectId, htlcId: seq, preimage, ...fee }),
  /** Countersign the state your partner proposed: the payment takes effect (or the cooperative close goes to L1). */
  "channels:accept": z.strictObject({ channelId: objectId, stateSeq: seq, sig: hex128, ...fee }),
  /** Refuse the state your partner proposed. */
  "channels:decline": z.strictObject({ channelId: objectId, stateSeq: seq }),
  /** Publish a doubly-signed state on L1 on your own: your share waits out the dispute window. */
  "channels:forceClose": z.strictObject({ channelId: objectId, state: signedChannelState, ...fee }),
  /** Answer a close that published an old state with a newer doubly-signed one: the closer loses the whole channel. */
  "channels:penalize": z.strictObject({ channelId: objectId, state: signedChannelState, ...fee }),
  /** Hire a watchtower to guard your side of a channel; `fee` is paid only out of a penalty it wins. */
  "channels:hireTower": z.strictObject({ channelId: objectId, tower: accountId, fee: gwei }),
  /** Take your node offline for a while (you cannot answer anything: only a hired watchtower guards you). */
  "channels:offline": z.strictObject({}),
} as const;

export const CHANNELS_MESSAGE_ROLES = {
  "channels:open": ["user"],
  "channels:fund": ["user"],
  "channels:cancel": ["user"],
  "channels:propose": ["user"],
  "channels:route": ["user"],
  "channels:claimHtlc": ["user"],
  "channels:accept": ["user"],
  "channels:decline": ["user"],
  "channels:forceClose": ["user"],
  "channels:penalize": ["user", "watchtower"],
  "channels:hireTower": ["user"],
  "channels:offline": ["user"],
} as const;
