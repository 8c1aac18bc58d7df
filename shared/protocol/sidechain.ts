import { z } from "zod";
import { accountId, fee, hex128, hex64, positiveGwei } from "./fields.ts";

const nonce = z.number().int().nonnegative();
const heistId = z.number().int().nonnegative().max(10_000);

/**
 * Sidechain rounds ("Bridge heist"): users and auditors deposit through the bridge, pay each
 * other on the sidechain and withdraw; validators stake, sign blocks, checkpoints and withdrawals,
 * and may join a heist; auditors raise the alarm. Every `sig` is ed25519 by the sender's own key
 * over the texts of shared/engine/sidechain/messages.ts (heists: heistMessage of heist.ts).
 */
export const SIDECHAIN_MESSAGES = {
  /** L1: lock ETH in the bridge; minted on the sidechain in its next block. */
  "sidechain:deposit": z.strictObject({ amount: positiveGwei, ...fee }),
  /** Sidechain transfer; sig over transferMessage(you, to, amount, txFee, nonce). */
  "sidechain:send": z.strictObject({ to: accountId, amount: positiveGwei, nonce, sig: hex128 }),
  /** Sidechain burn that starts a withdrawal to your L1 account; sig over burnMessage(you, amount, txFee, nonce). */
  "sidechain:withdraw": z.strictObject({ amount: positiveGwei, nonce, sig: hex128 }),
  /** L1: present the signatures your withdrawal `nonce` collected to the multisig (it needs m). */
  "sidechain:release": z.strictObject({ nonce, ...fee }),
  /** L1: add stake. */
  "sidechain:stake": z.strictObject({ amount: positiveGwei, ...fee }),
  /** Vote for the block up for votes; sig over blockVoteMessage(hash). */
  "sidechain:signBlock": z.strictObject({ hash: hex64, sig: hex128 }),
  /** Approve the open checkpoint; sig over checkpointMessage(number, startHeight, endHeight, root). */
  "sidechain:signCheckpoint": z.strictObject({ number: nonce, sig: hex128 }),
  /** Bridge signer: approve a burned withdrawal; sig over withdrawalMessage(to, amount, nonce). */
  "sidechain:signWithdrawal": z.strictObject({ nonce, sig: hex128 }),
  /** Bridge signer: invite the other signers to a heist of `amount` from the bridge to you. */
  "sidechain:heistPropose": z.strictObject({ amount: positiveGwei }),
  /** Bridge signer: sign the heist (sig over its release message, heistMessage). */
  "sidechain:heistSign": z.strictObject({ id: heistId, sig: hex128 }),
  /** The heist's organizer: send its release to L1 with the signatures gathered so far. */
  "sidechain:heistRelease": z.strictObject({ id: heistId, ...fee }),
  /** Auditor: the bridge no longer backs the sidechain's tokens. */
  "sidechain:alarm": z.strictObject({}),
} as const;

export const SIDECHAIN_MESSAGE_ROLES = {
  "sidechain:deposit": ["user", "auditor"],
  "sidechain:send": ["user", "auditor"],
  "sidechain:withdraw": ["user", "auditor"],
  "sidechain:release": ["user", "auditor"],
  "sidechain:stake": ["validator"],
  "sidechain:signBlock": ["validator"],
  "sidechain:signCheckpoint": ["validator"],
  "sidechain:signWithdrawal": ["validator"],
  "sidechain:heistPropose": ["validator"],
  "sidechain:heistSign": ["validator"],
  "sidechain:heistRelease": ["validator"],
  "sidechain:alarm": ["auditor"],
} as const;
