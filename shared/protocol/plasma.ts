/** plasma rounds: messages are prefixed "plasma:" (filled in by the plasma round). */
export const PLASMA_MESSAGES = {} as const;

export const PLASMA_MESSAGE_ROLES = {} as const;
