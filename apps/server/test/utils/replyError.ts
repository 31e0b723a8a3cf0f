/** The message of the error reply `p` rejects with; fails the test when it resolves instead. */
export async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected an error");
}
