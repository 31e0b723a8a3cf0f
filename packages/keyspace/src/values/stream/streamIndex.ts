/** The stream type API (`zset.*`-style namespace export): what the server's stream commands use. */
export * from "./ConsumerGroups.js";
export { PendingList } from "./PendingList.js";
export { StreamIdArray } from "./StreamIdArray.js";
export { lpDelta, StreamIterator } from "./StreamIterator.js";
export { StreamObject } from "./StreamObject.js";
export * from "./streamAppend.js";
export * from "./streamEdit.js";
export * from "./streamFields.js";
export * from "./streamId.js";
export * from "./streamLag.js";
