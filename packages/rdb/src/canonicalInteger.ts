/**
 * Redis turns a string into an integer only when it is the integer's canonical decimal form
 * (`string2ll`, `lpStringToInt64`): "12" becomes 12; "012", "+12", " 12", "1e3" stay strings.
 * The one implementation lives in `@nedis/resp-codec/int64`, shared with the keyspace and the
 * protocol parser.
 */
export { isInt64, parseCanonicalInteger, writeDecimal } from "@nedis/resp-codec/int64";
