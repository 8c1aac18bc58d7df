import { signL2Tx } from "../../../shared/engine/l2-state.ts";
import type { KeyPair } from "../../../shared/crypto/sign.ts";
import type { SignedL2Tx } from "../../../shared/protocol/messages.ts";

/** Signs a player's L2 transfers and withdrawals with their own key, numbering them with the right nonce. */
export interface L2Signer {
  /** Signs one transaction; `walletNonce` is the wallet's next nonce as the server last said. */
  sign(kind: "transfer" | "withdraw", to: string, amount: number, fee: number, walletNonce: number): SignedL2Tx;
  /** Call with every snapshot: when the server's nonce moves, it is the truth again. */
  seen(walletNonce: number): void;
  /** The server refused a send: start over from its nonce. */
  forget(): void;
}

/**
 * Nonces: the wallet's next nonce counts our transactions still pending; between a send and the
 * next patch we count on locally, and start over from the server whenever it moves.
 */
export function createL2Signer(me: string, key: KeyPair): L2Signer {
  let localNonce: number | null = null;
  let seenNonce = -1;
  return {
    sign(kind, to, amount, fee, walletNonce) {
      const nonce = Math.max(walletNonce, localNonce ?? 0);
      localNonce = nonce + 1;
      const signed = signL2Tx(key.secretKey, { kind, from: me, to, amount, fee, nonce });
      return { kind, to, amount, fee: signed.fee, nonce, sig: signed.sig };
    },
    seen(walletNonce) {
      if (walletNonce === seenNonce) return;
      seenNonce = walletNonce;
      localNonce = null;
    },
    forget() {
      localNonce = null;
    },
  };
}
