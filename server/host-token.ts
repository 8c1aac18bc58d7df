import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A fresh secret for the host console: 32 random bytes, base64url. */
export function newHostToken(): string {
  return randomBytes(32).toString("base64url");
}

/** We store only the hash, so a leaked database does not leak host rights. */
export function hashHostToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Constant-time check of a presented token against a stored hash. */
export function hostTokenMatches(token: unknown, storedHash: string | null): boolean {
  if (typeof token !== "string" || !storedHash) return false;
  const presented = Buffer.from(hashHostToken(token), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
