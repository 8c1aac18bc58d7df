/**
 * Engine benchmark: `npm run bench:engine`. Prints a short report; asserts nothing about time
 * (timing targets live here, never in unit tests).
 *
 *  1. L2 throughput: 1,000 accounts send 10,000 pre-signed transfers; the timed part is what the
 *     server does per transaction: submit (nonce + signature check), sequence (execute, soft
 *     confirm) and post (batch trace with a state root per transaction, encoding, compression).
 *  2. Batch verification: a challenger's honest trace of one full batch, with and without the
 *     signature checks (the rest is the per-transaction state roots).
 *  3. Batch size on L1: raw vs zlib-compressed bytes, calldata gas.
 *     The tree rebuild, the per-transaction roots and the signature checks are reported apart.
 *  4. Engine ticks: L1 blocks per second, idle and with a full mempool.
 *  5. Signature verification per backend (strict rule): node:crypto, noble, WebCrypto, a cached verdict.
 *
 * The engine's signatures are checked by the backend the server installs (node:crypto) through the
 * verdict cache, as in production; `--verifier noble` measures the browser fallback instead, and
 * `--cache-entries 0` the engine without a verdict cache (each transaction verified three times).
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { ed25519 } from "@noble/curves/ed25519.js";
import { advance, applyAction } from "../../shared/engine/engine.ts";
import { makeConfig } from "../../shared/engine/config.ts";
import { executionTrace, l2TxMessage, signL2Tx } from "../../shared/engine/l2-state.ts";
import type { L2Tx } from "../../shared/engine/l2-state.ts";
import { batchContext, honestTrace } from "../../shared/engine/optimistic/rollup.ts";
import { rollupOf } from "../../shared/engine/optimistic/types.ts";
import { rollupAction } from "../engine/harness.ts";
import type { RollupTestAction } from "../engine/harness.ts";
import { createWorld } from "../../shared/engine/world.ts";
import type { World } from "../../shared/engine/world.ts";
import type { Action } from "../../shared/engine/actions.ts";
import { eth } from "../../shared/engine/units.ts";
import { bytesToHex, hexToBytes, utf8ToBytes } from "../../shared/crypto/hash.ts";
import { NOBLE_STRICT_VERIFIER } from "../../shared/crypto/noble-ed25519-verifier.ts";
import { setSignatureVerifier, verdictCacheStats } from "../../shared/crypto/signature-verifier.ts";
import { setSigner, verifySignature } from "../../shared/crypto/sign.ts";
import { webCryptoEd25519Verifier } from "../../shared/crypto/webcrypto-ed25519-verifier.ts";
import { nativeEd25519Signer } from "../../server/crypto/native-ed25519-signer.ts";
import { nativeEd25519Verifier } from "../../server/crypto/native-ed25519-verifier.ts";
import { testKey } from "../engine/harness.ts";

const { values: options } = parseArgs({ options: { verifier: { type: "string", default: "native" }, "cache-entries": { type: "string", default: "32768" } } });
if (options.verifier !== "native" && options.verifier !== "noble") throw new Error("--verifier native|noble");
// --cache-entries 0 turns the verdict cache off: every check verifies again (the engine before it had one).
const cacheEntries = Number(options["cache-entries"]);
// What server/main.ts installs (node:crypto), or the browser's fallback (noble) with --verifier noble.
const backend = options.verifier === "native" ? nativeEd25519Verifier() : NOBLE_STRICT_VERIFIER;
setSignatureVerifier(backend, { cacheEntries });

const ACCOUNTS = 1_000;
const TRANSACTIONS = 10_000;
const SEQUENCER = "seq";

function act(world: World, action: Action | RollupTestAction): void {
  const events = applyAction(world, rollupAction(action), world.nowMs);
  const refused = events.find((e) => e.type === "rejected");
  if (refused) throw new Error(`bench setup: ${action.type} refused: ${refused.type === "rejected" ? refused.reason : ""}`);
}

/** Produces `count` L1 blocks; returns how many L1 transactions they included. */
function blocks(world: World, count: number): number {
  const events = advance(world, world.l1.nextBlockAtMs + (count - 1) * world.config.blockTimeMs);
  return events.reduce((sum, e) => sum + (e.type === "l1.block" ? e.txCount : 0), 0);
}

function fmt(value: number, digits = 1): string {
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

const report: string[] = [];
const line = (text: string) => {
  report.push(text);
  console.log(text);
};
const benchStart = performance.now();

line(`L2 Arena engine benchmark — node ${process.version}, ${os.cpus()[0]?.model ?? "unknown CPU"} × ${os.cpus().length}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
line(`Signatures checked by ${verdictCacheStats().verifier}, ${cacheEntries > 0 ? `through a verdict cache of ${cacheEntries.toLocaleString("en-US")} entries` : "with no verdict cache (each check verifies)"}`);

// ---- 1. L2 throughput -------------------------------------------------------------------
// A 30M-gas L1 (Ethereum's) so the 1,000 setup deposits land in two blocks; nothing timed depends on it.
const world = createWorld("bench", makeConfig({ gasLimit: 30_000_000 }));
const names = Array.from({ length: ACCOUNTS }, (_, i) => `user-${i}`);
const keys = names.map((name) => testKey(name));
act(world, { type: "fund", account: SEQUENCER, amount: eth(1_000) });
act(world, { type: "setSequencer", account: SEQUENCER });
names.forEach((name, i) => {
  act(world, { type: "fund", account: name, amount: eth(10) });
  act(world, { type: "registerKey", account: name, publicKey: keys[i]!.publicKey });
  act(world, { type: "deposit", from: name, amount: eth(5) });
});
blocks(world, 3);
while (rollupOf(world).soft.length > 0) act(world, { type: "postBatch", by: SEQUENCER });
if (Object.keys(rollupOf(world).head.accounts).length < ACCOUNTS) throw new Error("bench setup: deposits not credited");
const batchesBefore = rollupOf(world).batches.length;

// Pre-sign outside the timed part, with node:crypto (the browser's bytes: Ed25519 is deterministic):
// round r, every account sends its r-th transfer (nonce r).
setSigner(nativeEd25519Signer());
const signStart = performance.now();
const txs: L2Tx[] = [];
for (let round = 0; txs.length < TRANSACTIONS; round++) {
  for (let i = 0; i < ACCOUNTS && txs.length < TRANSACTIONS; i++) {
    const to = names[(i + 1 + round * 37) % ACCOUNTS]!;
    txs.push(signL2Tx(keys[i]!.secretKey, { kind: "transfer", from: names[i]!, to, amount: 1_000 + round, fee: world.config.l2FeePerTx, nonce: round }));
  }
}
const signMs = performance.now() - signStart;
const first = txs[0]!;
if (bytesToHex(ed25519.sign(utf8ToBytes(l2TxMessage(first)), hexToBytes(keys[0]!.secretKey))) !== first.sig) throw new Error("bench: native and noble ed25519 signatures differ");

const perBatch = world.config.maxBatchTxs;
let submitMs = 0;
let sequenceMs = 0;
let postMs = 0;
for (let start = 0; start < txs.length; start += perBatch) {
  let t = performance.now();
  for (const tx of txs.slice(start, start + perBatch)) act(world, { type: "l2Submit", tx });
  submitMs += performance.now() - t;
  t = performance.now();
  act(world, { type: "sequence", by: SEQUENCER });
  sequenceMs += performance.now() - t;
  t = performance.now();
  act(world, { type: "postBatch", by: SEQUENCER });
  postMs += performance.now() - t;
}
const posted = rollupOf(world).batches.slice(batchesBefore);
const included = posted.reduce((sum, b) => sum + b.txs.length, 0);
if (included !== TRANSACTIONS) throw new Error(`bench: ${included} of ${TRANSACTIONS} transactions made it into batches`);
const totalMs = submitMs + sequenceMs + postMs;
const us = (ms: number) => (ms * 1000) / TRANSACTIONS;

line("");
line(`L2 transactions: ${TRANSACTIONS.toLocaleString("en-US")} transfers among ${ACCOUNTS.toLocaleString("en-US")} accounts, ${posted.length} batches of up to ${perBatch}`);
line(`  signing (untimed; node:crypto)   ${fmt(us(signMs), 0)} µs/tx`);
line(`  submit (nonce + signature)       ${fmt(us(submitMs), 0)} µs/tx`);
line(`  sequence (execute, soft confirm) ${fmt(us(sequenceMs), 0)} µs/tx`);
line(`  post (trace + roots + compress)  ${fmt(us(postMs), 0)} µs/tx`);
line(`  submit + sequence + post         ${fmt(us(totalMs), 0)} µs/tx  → ${fmt(TRANSACTIONS / (totalMs / 1000), 0)} tx/s`);
const cacheAfterThroughput = verdictCacheStats();
line(`  signature checks: ${cacheAfterThroughput.misses.toLocaleString("en-US")} verified, ${cacheAfterThroughput.hits.toLocaleString("en-US")} answered from the verdict cache`);

// ---- 2. Batch verification -------------------------------------------------------------
// A challenger re-executing a batch it did not see submitted: no verdict cached (as in its browser).
// The same backend is installed again, so the native one keeps its imported keys, as a server does
// for the players of a session.
setSignatureVerifier(backend, { cacheEntries });
const sample = posted.slice(0, 5);
let t = performance.now();
for (const batch of sample) honestTrace(world, batch);
const traceMs = (performance.now() - t) / sample.length;
t = performance.now();
for (const batch of sample) executionTrace(batch.preState!, batch.txs, batchContext(world, batch), new Set(batch.txs.map((tx) => tx.id)));
const rootsMs = (performance.now() - t) / sample.length;
// The first root of a trace builds the accounts tree from scratch (every account × 16 levels).
t = performance.now();
for (const batch of sample) executionTrace(batch.preState!, [], batchContext(world, batch));
const treeMs = (performance.now() - t) / sample.length;
line("");
line(`Batch trace (what a challenger re-executes), ${perBatch} txs over ${ACCOUNTS.toLocaleString("en-US")} accounts, mean of ${sample.length}:`);
line(`  full honest trace                ${fmt(traceMs)} ms/batch (${fmt((traceMs * 1000) / perBatch, 0)} µs/tx)`);
line(`  state roots only (no sig checks) ${fmt(rootsMs)} ms/batch, of which:`);
line(`    accounts tree rebuilt once     ${fmt(treeMs)} ms (${ACCOUNTS + 1} leaves × 16 levels)`);
line(`    one root per transaction       ${fmt(((rootsMs - treeMs) * 1000) / perBatch, 0)} µs/tx`);
line(`  signature checks                 ${fmt(((traceMs - rootsMs) * 1000) / perBatch, 0)} µs/tx`);

// ---- 3. Batch bytes ----------------------------------------------------------------------
const raw = posted.reduce((sum, b) => sum + b.rawBytes, 0);
const compressed = posted.reduce((sum, b) => sum + b.compressedBytes, 0);
const calldata = posted.reduce((sum, b) => sum + b.calldataGas, 0);
line("");
line(`Batch bytes posted to L1 (${posted.length} batches):`);
line(`  raw        ${fmt(raw / TRANSACTIONS)} bytes/tx`);
line(`  compressed ${fmt(compressed / TRANSACTIONS)} bytes/tx  (ratio ${fmt(raw / compressed, 2)}:1, ${fmt((100 * compressed) / raw)}% of raw)`);
line(`  calldata   ${fmt(calldata / TRANSACTIONS, 0)} gas/tx vs 21,000 for an L1 transfer`);

// ---- 4. Engine ticks ----------------------------------------------------------------------
// (a) This world: the posts land, their windows run, 79 batches finalise, then quiet: 1,000 blocks.
t = performance.now();
blocks(world, 1_000);
const rollupTickMs = (performance.now() - t) / 1_000;
if (rollupOf(world).batches.some((b) => b.status !== "final")) throw new Error("bench: batches did not finalise");
// (b) A default 30-transfer L1 with 3,000 transfers waiting, 40 blocks (the base fee rises 12.5% a
// full block, so after ~40 the senders' max fee no longer covers it and blocks stop being full).
const PAYERS = 3_000;
const FULL_BLOCKS = 40;
const REPEATS = 5;
let busyMs = 0;
let busyIncluded = 0;
for (let repeat = 0; repeat < REPEATS; repeat++) {
  const busy = createWorld(`bench-l1-${repeat}`, makeConfig());
  for (let i = 0; i < PAYERS; i++) act(busy, { type: "fund", account: `payer-${i}`, amount: eth(1) });
  for (let i = 0; i < PAYERS; i++) act(busy, { type: "l1Transfer", from: `payer-${i}`, to: `payer-${(i + 1) % PAYERS}`, amount: 1, tip: i % 17, maxFee: 10_000 });
  t = performance.now();
  busyIncluded += blocks(busy, FULL_BLOCKS);
  busyMs += performance.now() - t;
}
const busyTickMs = busyMs / (FULL_BLOCKS * REPEATS);
// (c) Idle blocks: an empty world.
const idle = createWorld("bench-idle", makeConfig());
t = performance.now();
blocks(idle, 20_000);
const idleTickMs = (performance.now() - t) / 20_000;
line("");
line("Engine ticks (L1 blocks):");
line(`  idle                                              ${fmt(1000 / idleTickMs, 0)} blocks/s`);
line(`  full blocks (${fmt(busyIncluded / (FULL_BLOCKS * REPEATS), 0)} transfers each, ${PAYERS.toLocaleString("en-US")} waiting)     ${fmt(1000 / busyTickMs, 0)} blocks/s`);
line(`  rollup world (${posted.length} batches land, wait, finalise)     ${fmt(1000 / rollupTickMs, 0)} blocks/s`);
// ---- 5. Signature verification per backend ----------------------------------------------
const SIGS = 200;
const sigSample = txs.slice(0, SIGS).map((tx) => ({ publicKey: hexToBytes(keys[names.indexOf(tx.from)]!.publicKey), message: utf8ToBytes(l2TxMessage(tx)), signature: hexToBytes(tx.sig) }));
const perSig = (run: () => void) => {
  const start = performance.now();
  run();
  return ((performance.now() - start) * 1000) / SIGS;
};
const nativeBackend = nativeEd25519Verifier();
for (const s of sigSample.slice(0, 5)) nativeBackend.verify(s.publicKey, s.message, s.signature); // warm key import, JIT
const nativeUs = perSig(() => sigSample.forEach((s) => nativeBackend.verify(s.publicKey, s.message, s.signature)));
const nobleStrictUs = perSig(() => sigSample.forEach((s) => NOBLE_STRICT_VERIFIER.verify(s.publicKey, s.message, s.signature)));
const nobleDefaultUs = perSig(() => sigSample.forEach((s) => ed25519.verify(s.signature, s.message, s.publicKey)));
const webCrypto = webCryptoEd25519Verifier(globalThis.crypto.subtle);
const t0 = performance.now();
await Promise.all(sigSample.map((s) => webCrypto(s.publicKey, s.message, s.signature)));
const webCryptoUs = ((performance.now() - t0) * 1000) / SIGS;
setSignatureVerifier(nativeBackend);
const hexSample = txs.slice(0, SIGS).map((tx) => [keys[names.indexOf(tx.from)]!.publicKey, l2TxMessage(tx), tx.sig] as const);
for (const [k, m, s] of hexSample) verifySignature(k, m, s);
const LOOKUP_ROUNDS = 50;
const cachedUs = perSig(() => {
  for (let round = 0; round < LOOKUP_ROUNDS; round++) hexSample.forEach(([k, m, s]) => verifySignature(k, m, s));
}) / LOOKUP_ROUNDS;
line("");
line(`Ed25519 verification, mean of ${SIGS} L2 transaction signatures (strict rule):`);
line(`  node:crypto (server)             ${fmt(nativeUs, 0)} µs/signature`);
line(`  WebCrypto (Node's; browsers')    ${fmt(webCryptoUs, 0)} µs/signature (${SIGS} in parallel)`);
line(`  noble strict (browser fallback)  ${fmt(nobleStrictUs, 0)} µs/signature`);
line(`  noble default verify (for scale) ${fmt(nobleDefaultUs, 0)} µs/signature`);
line(`  verdict cache hit                ${fmt(cachedUs, 1)} µs/signature`);

line("");
line(`Total bench time ${fmt((performance.now() - benchStart) / 1000)} s`);
