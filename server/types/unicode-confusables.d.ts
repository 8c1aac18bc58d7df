// The package ships its declarations as "index.ts.d", which TypeScript never finds.
declare module "unicode-confusables" {
  /** Replaces each character with the one it is confusable with (Unicode UTS 39 confusables.txt), zero-width ones removed. */
  export function rectifyConfusion(input: string): string;
  export function isConfusing(input: string): boolean;
}
