import { constants } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import type { Server, Socket } from "node:net";
import { join } from "node:path";
import {
  createSecureContext,
  createServer as createTlsServer,
  type SecureContextOptions,
  type TLSSocket,
  type Server as TlsServer,
} from "node:tls";
import type { ConfigStore } from "../config/ConfigStore.js";
import type { Logger } from "../Logger.js";

/** Options whose change rebuilds the TLS context (Redis's `applyTlsCfg`). */
const TLS_CONTEXT_OPTIONS = [
  "tls-cert-file",
  "tls-key-file",
  "tls-key-file-pass",
  "tls-ca-cert-file",
  "tls-ca-cert-dir",
  "tls-protocols",
  "tls-ciphers",
  "tls-ciphersuites",
  "tls-prefer-server-ciphers",
  "tls-dh-params-file",
  "tls-session-caching",
  "tls-session-cache-size",
  "tls-session-cache-timeout",
  "tls-auth-clients",
];

const PROTOCOLS: Record<string, number> = {
  tlsv1: constants.SSL_OP_NO_TLSv1,
  "tlsv1.1": constants.SSL_OP_NO_TLSv1_1,
  "tlsv1.2": constants.SSL_OP_NO_TLSv1_2,
  "tlsv1.3": constants.SSL_OP_NO_TLSv1_3,
};

/** A TLS setting Redis would refuse; the message is Redis's log line. */
export class TlsConfigError extends Error {
  override readonly name = "TlsConfigError";
}

function readConfigFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new TlsConfigError(`Failed to load ${what}: ${path}: ${(err as Error).message}`);
  }
}

/**
 * The `tls-*` options as Node TLS context options, like Redis's `tlsConfigure`: a certificate
 * and key are required, a CA when clients must present certificates; `tls-protocols` picks
 * among TLSv1…TLSv1.3 (default TLSv1.2 and TLSv1.3).
 */
export function tlsContextOptions(config: ConfigStore): SecureContextOptions {
  const certFile = config.string("tls-cert-file");
  const keyFile = config.string("tls-key-file");
  if (certFile === "") throw new TlsConfigError("No tls-cert-file configured!");
  if (keyFile === "") throw new TlsConfigError("No tls-key-file configured!");
  const caFile = config.string("tls-ca-cert-file");
  const caDir = config.string("tls-ca-cert-dir");
  if (config.string("tls-auth-clients") !== "no" && caFile === "" && caDir === "") {
    throw new TlsConfigError(
      "Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!",
    );
  }
  const ca: Buffer[] = [];
  if (caFile !== "") ca.push(readConfigFile(caFile, "CA certificate(s) file/directory"));
  if (caDir !== "") {
    for (const name of readdirSync(caDir)) {
      try {
        ca.push(readFileSync(join(caDir, name)));
      } catch {
        // Not a readable file (a subdirectory, a dangling link): OpenSSL skips it too.
      }
    }
  }
  const options: SecureContextOptions = {
    cert: readConfigFile(certFile, "certificate"),
    key: readConfigFile(keyFile, "private key"),
    minVersion: "TLSv1",
    secureOptions: protocolOptions(config.string("tls-protocols")),
    honorCipherOrder: config.bool("tls-prefer-server-ciphers"),
    sessionTimeout: config.number("tls-session-cache-timeout"),
  };
  const pass = config.string("tls-key-file-pass");
  if (pass !== "") options.passphrase = pass;
  if (ca.length > 0) options.ca = ca;
  const ciphers = [config.string("tls-ciphersuites"), config.string("tls-ciphers")].filter((c) => c !== "").join(":");
  if (ciphers !== "") options.ciphers = ciphers;
  const dh = config.string("tls-dh-params-file");
  if (dh !== "") options.dhparam = readConfigFile(dh, "DH params file");
  return options;
}

/** OpenSSL `SSL_OP_NO_*` bits disabling every protocol `tls-protocols` does not name. */
function protocolOptions(setting: string): number {
  const wanted = setting.trim() === "" ? ["tlsv1.2", "tlsv1.3"] : setting.trim().toLowerCase().split(/\s+/);
  let disabled = constants.SSL_OP_NO_SSLv2 | constants.SSL_OP_NO_SSLv3;
  for (const p of wanted) {
    if (!(p in PROTOCOLS)) {
      throw new TlsConfigError(
        "Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.",
      );
    }
  }
  for (const [name, bit] of Object.entries(PROTOCOLS)) if (!wanted.includes(name)) disabled |= bit;
  return disabled;
}

/**
 * The `tls-port` listeners (one per bind address, like the TCP ones). After the handshake a
 * connection goes through the same accept path as a TCP one (maxclients, protected mode):
 * `tls-auth-clients yes` requires a client certificate signed by the CA, `optional` checks one
 * only if it is presented. CONFIG SET of a `tls-*` option reloads the context for new
 * connections, or is refused when it would not load.
 */
export class TlsListener {
  readonly servers: TlsServer[] = [];
  private options: SecureContextOptions;

  constructor(
    private readonly config: ConfigStore,
    private readonly log: Logger,
  ) {
    this.options = tlsContextOptions(config);
    createSecureContext(this.options);
    for (const name of TLS_CONTEXT_OPTIONS) {
      config.onChange(name, () => {
        try {
          const options = tlsContextOptions(config);
          createSecureContext(options);
          this.options = options;
          for (const server of this.servers) this.configure(server);
          return undefined;
        } catch (err) {
          log.warning((err as Error).message);
          return "Unable to update TLS configuration. Check server logs.";
        }
      });
    }
  }

  /** Applies the current context and client-certificate policy to a listener. */
  private configure(server: TlsServer): void {
    const auth = this.config.string("tls-auth-clients");
    server.setSecureContext(this.options);
    // tls.Server keeps its constructor's requestCert/rejectUnauthorized as instance fields and
    // reads them for each new connection (Node 20–24); they are not in its type declarations.
    const policy = server as TlsServer & { requestCert: boolean; rejectUnauthorized: boolean };
    policy.requestCert = auth !== "no";
    policy.rejectUnauthorized = auth === "yes";
  }

  /**
   * Listens on `tls-port` at every `bind` address (Redis syntax: `*`, `::*`, a `-` prefix for
   * an address that may be unavailable); resolves when all are bound.
   */
  async listen(binds: readonly string[], onSocket: (socket: Socket) => void): Promise<Server[]> {
    const port = this.config.number("tls-port");
    for (const raw of binds.length > 0 ? binds : ["*"]) {
      const optional = raw.startsWith("-");
      const addr = optional ? raw.slice(1) : raw;
      const host = addr === "*" ? "0.0.0.0" : addr === "::*" ? "::" : addr;
      try {
        this.servers.push(await this.listenOne(host, port, onSocket));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (optional && (code === "EADDRNOTAVAIL" || code === "EAFNOSUPPORT")) continue;
        for (const s of this.servers) s.close();
        throw new TlsConfigError(
          `Could not create server TLS listening socket ${host}:${port}: ${(err as Error).message}`,
        );
      }
    }
    return this.servers;
  }

  private listenOne(host: string, port: number, onSocket: (socket: Socket) => void): Promise<TlsServer> {
    return new Promise<TlsServer>((resolve, reject) => {
      const server = createTlsServer({ ...this.options, noDelay: true }, (socket) => this.accepted(socket, onSocket));
      this.configure(server);
      server.on("tlsClientError", (err) => this.log.verbose(`Error accepting a client connection: ${err.message}`));
      server.once("error", reject);
      server.listen({ host, port, backlog: this.config.number("tcp-backlog"), ipv6Only: host.includes(":") }, () => {
        server.off("error", reject);
        resolve(server);
      });
    });
  }

  /** `optional`: a presented certificate must verify (tls.Server only rejects under `yes`). */
  private accepted(socket: TLSSocket, onSocket: (socket: Socket) => void): void {
    if (!socket.authorized && this.config.string("tls-auth-clients") === "optional") {
      if (Object.keys(socket.getPeerCertificate()).length > 0) {
        this.log.verbose(`Error accepting a client connection: ${String(socket.authorizationError)}`);
        socket.destroy();
        return;
      }
    }
    onSocket(socket);
  }
}
