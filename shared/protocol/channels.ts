/** channels rounds: messages are prefixed "channels:" (filled in by the channels round). */
export const CHANNELS_MESSAGES = {} as const;

export const CHANNELS_MESSAGE_ROLES = {} as const;
