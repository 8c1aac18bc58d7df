/**
 * The numbers of the channel game, faithful to Lightning (BOLT 2/3, L2-FACTS.md) at game speed.
 * Amounts in gwei, times in ms of game clock, gas in gas units.
 */

/** The module's name in MODULES and world.modules. */
export const CHANNELS = "channels";

/**
 * The adjudicator contract on L1: it holds every channel's locked funds (the 2-of-2 funding
 * outputs) and pays them out on a close. Its balance always equals the sum of what open and
 * closing channels still hold (see ledger.ts).
 */
export const ADJUDICATOR = "contract:channels-adjudicator";

/**
 * Lightning's default to_self_delay is 144 blocks (about a day). The game compresses it to
 * 24 s: after a unilateral close, the closer's own balance waits this long, and inside it the
 * counterparty (or its watchtower) may answer with a newer doubly-signed state.
 */
export const TO_SELF_DELAY_BLOCKS = 144;
export const DISPUTE_WINDOW_MS = 24_000;
/** Bounds of a channel's own to_self_delay (an open may set it): long enough to answer, short enough to end in a lesson. */
export const MIN_TO_SELF_DELAY_MS = 6_000;
export const MAX_TO_SELF_DELAY_MS = 300_000;

/**
 * Lightning waits ~6 confirmations before using a funding output. Scaled like to_self_delay
 * (144 blocks → 24 s) that is well under one 3 s block, so a channel is usable once its funding
 * transaction is included.
 */
export const FUNDING_CONFIRMATIONS = 1;

/**
 * Gas per channel L1 transaction: funding is a contract call holding a deposit; closes verify
 * two signatures each (~3,000 gas per ecrecover-like check plus storage), a penalty also
 * compares sequence numbers and sweeps the time-locked output.
 */
export const CHANNEL_GAS = {
  open: 90_000,
  fund: 60_000,
  cancel: 45_000,
  cooperativeClose: 70_000,
  unilateralClose: 110_000,
  penalty: 100_000,
  claimHtlc: 60_000,
} as const;

/**
 * HTLC timeouts (BOLT 2): each hop's expiry at least cltv_expiry_delta (34 blocks recommended)
 * below the incoming one, and the last hop at least 18 blocks ahead. Scaled like to_self_delay
 * (144 blocks → 24 s, so one Bitcoin block ≈ 1/6 s): 34 blocks ≈ 6 s, 18 blocks = 3 s.
 */
export const CLTV_EXPIRY_DELTA_MS = 6_000;
export const MIN_FINAL_EXPIRY_MS = 3_000;
/**
 * A routed payment's expiries, chosen by the payer (BOLT 4: from the last hop back). Real
 * Lightning's messages take milliseconds against hours of expiry; here each hop's countersignature
 * takes a bot turn or a phone's round trip (about a second), so the last hop's expiry adds this
 * allowance for the HTLC to reach the receiver to MIN_FINAL_EXPIRY_MS; each hop before it adds
 * CLTV_EXPIRY_DELTA_MS. Two hops (payer → hub → receiver): the payer's HTLC expires 21 s ahead.
 */
export const ROUTE_TRAVEL_MS = 12_000;

/**
 * The hub's routing fee (BOLT 7 channel_update: fee_base_msat + amount × fee_proportional_millionths
 * / 1,000,000). Real nodes charge about 1 sat + 1–1,000 ppm; the game's 0.0005 ETH + 1 % is large
 * enough to read on a phone.
 */
export const ROUTING_FEE_BASE = 500_000;
export const ROUTING_FEE_PPM = 10_000;

/** Most HTLCs pending in one channel state (BOLT 2 caps it at 483 per side; the game keeps it small). */
export const MAX_HTLCS = 8;

/** Most a single channel may lock, in gwei (1,000 ETH): keeps every sum a safe integer. */
export const MAX_DEPOSIT = 1_000_000_000_000;

/** Names of the module's events: the debrief is computed from these. */
export const CHANNEL_EVENTS = {
  opened: "opened",
  funded: "funded",
  cancelled: "cancelled",
  payment: "payment",
  towerHired: "tower.hired",
  cooperativeClose: "closed.cooperative",
  closeStarted: "close.started",
  penalized: "penalized",
  settled: "closed.settled",
  reverted: "tx.reverted",
  htlcOffered: "htlc.offered",
  htlcFulfilled: "htlc.fulfilled",
  htlcClaimed: "htlc.claimed",
  htlcTimedOut: "htlc.timedOut",
  htlcFailed: "htlc.failed",
} as const;
