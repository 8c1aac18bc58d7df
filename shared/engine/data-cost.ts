import { blobFee, blobsFor } from "./blob-fee.ts";
import { currentBlobBaseFee, l1Charge } from "./l1.ts";
import type { L1Tx, World } from "./world.ts";

/**
 * What `bytes` of L2 data cost on L1 in the block being produced, both ways, whole gwei: as
 * calldata (`calldataGas` gas at the sender's execution price, base fee + effective tip), and as
 * blobs (whole blobs at the blob base fee). One of them is what the sender paid; the other is what
 * it would have paid the other way in the same block.
 */
export function dataCosts(world: World, tx: Pick<L1Tx, "tip" | "maxFee">, calldataGas: number, bytes: number): { asCalldata: number; asBlobs: number } {
  return {
    asCalldata: l1Charge({ gas: calldataGas, tip: tx.tip, maxFee: tx.maxFee }, world.l1.baseFeeWei).fee,
    asBlobs: blobFee(blobsFor(bytes), currentBlobBaseFee(world)),
  };
}
