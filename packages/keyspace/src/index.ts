export { Database } from "./Database.js";
export { Keyspace, type KeyspaceOptions } from "./Keyspace.js";
