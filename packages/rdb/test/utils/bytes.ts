/** Test helpers for byte arrays. */

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
export const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, "hex"));
export const latin1 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, "latin1"));
