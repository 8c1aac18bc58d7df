import { NOBLE_STRICT_VERIFIER } from "../../../shared/crypto/noble-ed25519-verifier.ts";
import { setSignatureVerifier, warmVerdicts } from "../../../shared/crypto/signature-verifier.ts";
import type { Ed25519VerifyAsync, SignatureCheck } from "../../../shared/crypto/signature-verifier.ts";
import { webCryptoEd25519Verifier, webCryptoHasEd25519 } from "../../../shared/crypto/webcrypto-ed25519-verifier.ts";
import { l2TxMessage } from "../../../shared/engine/l2-state.ts";
import type { L2Context, L2Tx } from "../../../shared/engine/l2-state.ts";

// WebCrypto's Ed25519 when this browser has it (Chrome 137+, Firefox 129+, Safari 17+), else null.
let webCrypto: Ed25519VerifyAsync | null = null;

/**
 * Sets up this browser's signature checks, once at start: the engine's synchronous checks use
 * noble (strict rule); when WebCrypto verifies Ed25519, a batch's signatures are checked with it
 * first (`warmBatchSignatures`), in parallel and natively, and the engine then finds their
 * verdicts cached. Both give the same verdicts (tests/crypto/ed25519-verifiers.test.ts).
 */
export async function installBrowserVerifier(): Promise<"webcrypto" | "noble-strict"> {
  setSignatureVerifier(NOBLE_STRICT_VERIFIER);
  const subtle = globalThis.crypto?.subtle;
  if (subtle && (await webCryptoHasEd25519(subtle))) webCrypto = webCryptoEd25519Verifier(subtle);
  return webCrypto ? "webcrypto" : "noble-strict";
}

/** The signature checks re-executing `txs` under `context` will make (transfers and withdrawals carry one). */
export function batchSignatureChecks(txs: readonly L2Tx[], context: L2Context): SignatureCheck[] {
  return txs.flatMap((tx) => {
    const publicKey = context.publicKeys[tx.from];
    if (!publicKey || (tx.kind !== "transfer" && tx.kind !== "withdraw")) return [];
    return [{ publicKey, message: l2TxMessage(tx), signature: tx.sig }];
  });
}

/** Checks a batch's signatures with WebCrypto ahead of its re-execution (nothing to do without it). */
export async function warmBatchSignatures(txs: readonly L2Tx[], context: L2Context): Promise<void> {
  if (webCrypto) await warmVerdicts(batchSignatureChecks(txs, context), webCrypto);
}
