/** sidechain rounds: messages are prefixed "sidechain:" (filled in by the sidechain round). */
export const SIDECHAIN_MESSAGES = {} as const;

export const SIDECHAIN_MESSAGE_ROLES = {} as const;
