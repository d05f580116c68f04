/** Size limits both sides of the IPC boundary apply (main refuses, the renderer explains). */

/** A model card is Markdown of at most 1 MiB. */
export const MODEL_CARD_MAX_BYTES = 1024 * 1024;
