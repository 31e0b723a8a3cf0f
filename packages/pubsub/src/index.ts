export type { ChannelName } from "./bytes.js";
export {
  encodeMessageFrame,
  encodePatternMessageFrame,
  encodeShardMessageFrame,
  encodeSubscriptionReply,
  type RespProtocol,
  type SubscriptionReplyKind,
} from "./frames.js";
export { globMatch, globMatchRange, globMatchString } from "./globMatch.js";
export { type KeyspaceEventPublisher, KeyspaceNotifier } from "./KeyspaceNotifier.js";
export {
  INVALID_KEYSPACE_EVENTS_MESSAGE,
  KEYSPACE_EVENT_NAMES,
  type KeyspaceEventName,
  keyspaceEventsFlagsToString,
  keyspaceEventsStringToFlags,
  NOTIFY_ALL,
  NOTIFY_EVICTED,
  NOTIFY_EXPIRED,
  NOTIFY_GENERIC,
  NOTIFY_HASH,
  NOTIFY_KEY_MISS,
  NOTIFY_KEYEVENT,
  NOTIFY_KEYSPACE,
  NOTIFY_LIST,
  NOTIFY_LOADED,
  NOTIFY_MODULE,
  NOTIFY_NEW,
  NOTIFY_SET,
  NOTIFY_STREAM,
  NOTIFY_STRING,
  NOTIFY_ZSET,
} from "./keyspaceEvents.js";
export { PubSubHub } from "./PubSubHub.js";
export type { Subscriber } from "./Subscriber.js";
