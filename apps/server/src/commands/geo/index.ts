import { defineCommand } from "../CommandSpec.js";
import { geoBasicCommands } from "./geoCommands.js";
import {
  GEOSEARCH,
  GEOSEARCHSTORE,
  georadiusGeneric,
  RADIUS_COORDS,
  RADIUS_MEMBER,
  RADIUS_NOSTORE,
} from "./geoSearch.js";

/** The geo commands (Redis's geo.c), over sorted sets whose scores are geohashes. */
export const geoCommands = [
  ...geoBasicCommands,
  /**
   * GEOSEARCH key <FROMMEMBER member | FROMLONLAT longitude latitude> <BYRADIUS radius unit |
   * BYBOX width height unit> [ASC | DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]
   */
  defineCommand({
    name: "geosearch",
    handler(server, client, args) {
      georadiusGeneric(server, client, args, 1, GEOSEARCH);
    },
  }),
  /**
   * GEOSEARCHSTORE destination source <FROMMEMBER member | FROMLONLAT longitude latitude>
   * <BYRADIUS radius unit | BYBOX width height unit> [ASC | DESC] [COUNT count [ANY]] [STOREDIST]
   */
  defineCommand({
    name: "geosearchstore",
    handler(server, client, args) {
      georadiusGeneric(server, client, args, 2, GEOSEARCH | GEOSEARCHSTORE);
    },
  }),
  /**
   * GEORADIUS key longitude latitude radius unit [WITHCOORD] [WITHDIST] [WITHHASH]
   * [COUNT count [ANY]] [ASC | DESC] [STORE key | STOREDIST key]
   */
  defineCommand({
    name: "georadius",
    handler(server, client, args) {
      georadiusGeneric(server, client, args, 1, RADIUS_COORDS);
    },
  }),
  /**
   * GEORADIUSBYMEMBER key member radius unit [WITHCOORD] [WITHDIST] [WITHHASH]
   * [COUNT count [ANY]] [ASC | DESC] [STORE key | STOREDIST key]
   */
  defineCommand({
    name: "georadiusbymember",
    handler(server, client, args) {
      georadiusGeneric(server, client, args, 1, RADIUS_MEMBER);
    },
  }),
  /** GEORADIUS_RO key longitude latitude radius unit [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC] */
  defineCommand({
    name: "georadius_ro",
    handler(server, client, args) {
      georadiusGeneric(server, client, args, 1, RADIUS_COORDS | RADIUS_NOSTORE);
    },
  }),
  /** GEORADIUSBYMEMBER_RO key member radius unit [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC] */
  defineCommand({
    name: "georadiusbymember_ro",
    handler(server, client, args) {
      georadiusGeneric(server, client, args, 1, RADIUS_MEMBER | RADIUS_NOSTORE);
    },
  }),
];
