import { execFile, execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ConnectionOptions, connect } from "node:tls";
import { afterAll, describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

const haveOpenssl = spawnSync("openssl", ["version"]).status === 0;
const cliHasTls =
  haveOpenssl && (spawnSync("redis-cli", ["--help"], { encoding: "latin1" }).stdout ?? "").includes("--tls");

let dir = "";
let tlsPort = 0;
const file = (name: string) => join(dir, name);

function openssl(args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
}

/** A throwaway CA, a server certificate for 127.0.0.1 signed by it, a client certificate, and a stranger CA's client certificate. */
function makeCertificates(): void {
  dir = mkdtempSync(join(tmpdir(), "nedis-tls-"));
  writeFileSync(file("san.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  for (const ca of ["ca", "rogue"]) {
    openssl([
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      `${ca}.key`,
      "-out",
      `${ca}.crt`,
      "-days",
      "1",
      "-subj",
      `/CN=nedis-test-${ca}`,
    ]);
  }
  const issue = (name: string, ca: string, ext: string[]) => {
    openssl([
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.csr`,
      "-subj",
      `/CN=${name}`,
    ]);
    openssl([
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      `${ca}.crt`,
      "-CAkey",
      `${ca}.key`,
      "-CAcreateserial",
      "-out",
      `${name}.crt`,
      "-days",
      "1",
      ...ext,
    ]);
  };
  issue("server", "ca", ["-extfile", "san.cnf"]);
  issue("client", "ca", []);
  issue("stranger", "rogue", []);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** PING over TLS: the reply text, or "" when the handshake or the connection failed. */
function tlsPing(options: ConnectionOptions = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port: tlsPort, ca: readFileSync(file("ca.crt")), ...options });
    let text = "";
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(text);
    };
    const timer = setTimeout(finish, 3000);
    socket.on("secureConnect", () => socket.write("PING\r\n"));
    socket.on("data", (d) => {
      text += d.toString("latin1");
      if (text.endsWith("\r\n")) finish();
    });
    socket.on("error", finish);
    socket.on("close", finish);
  });
}

const withClientCert = (name: string): ConnectionOptions => ({
  cert: readFileSync(file(`${name}.crt`)),
  key: readFileSync(file(`${name}.key`)),
});

describe.skipIf(!haveOpenssl)("TLS (tls-port)", () => {
  const target = useTarget(async () => {
    makeCertificates();
    tlsPort = await freePort();
    return [
      ["tls-port", [String(tlsPort)]],
      ["tls-cert-file", [file("server.crt")]],
      ["tls-key-file", [file("server.key")]],
      ["tls-ca-cert-file", [file("ca.crt")]],
      ["tls-auth-clients", ["no"]],
    ];
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!cliHasTls)("redis-cli --tls --cacert … ping works", async () => {
    // Asynchronously: an in-process nedis must keep serving while redis-cli runs.
    const out = await new Promise<string>((resolve, reject) => {
      const args = ["--tls", "--cacert", file("ca.crt"), "-h", "127.0.0.1", "-p", String(tlsPort), "ping"];
      execFile("redis-cli", args, { encoding: "latin1", timeout: 10_000 }, (err, stdout) =>
        err ? reject(err) : resolve(stdout),
      );
    });
    expect(out).toBe("PONG\n");
  });

  it("serves TLS clients beside the plain TCP port", async () => {
    expect(await tlsPing()).toBe("+PONG\r\n");
    expect(await target.client().ping()).toBe("PONG");
  });

  it("tls-auth-clients yes requires a certificate from the CA; optional checks one if given", async () => {
    const r = target.client();
    expect(await r.call("CONFIG", "SET", "tls-auth-clients", "yes")).toBe("OK");
    expect(await tlsPing()).toBe("");
    expect(await tlsPing(withClientCert("client"))).toBe("+PONG\r\n");
    expect(await tlsPing(withClientCert("stranger"))).toBe("");
    expect(await r.call("CONFIG", "SET", "tls-auth-clients", "optional")).toBe("OK");
    expect(await tlsPing()).toBe("+PONG\r\n");
    expect(await tlsPing(withClientCert("client"))).toBe("+PONG\r\n");
    expect(await tlsPing(withClientCert("stranger"))).toBe("");
    expect(await r.call("CONFIG", "SET", "tls-auth-clients", "no")).toBe("OK");
  });

  it("tls-protocols limits the protocol versions", async () => {
    const r = target.client();
    expect(await r.call("CONFIG", "SET", "tls-protocols", "TLSv1.3")).toBe("OK");
    expect(await tlsPing({ maxVersion: "TLSv1.2" })).toBe("");
    expect(await tlsPing({ minVersion: "TLSv1.3" })).toBe("+PONG\r\n");
    expect(await r.call("CONFIG", "SET", "tls-protocols", "TLSv1.2")).toBe("OK");
    expect(await tlsPing({ minVersion: "TLSv1.3" })).toBe("");
    expect(await tlsPing({ maxVersion: "TLSv1.2" })).toBe("+PONG\r\n");
    expect(await r.call("CONFIG", "SET", "tls-protocols", "")).toBe("OK");
  });

  it("a TLS setting that does not load is refused and the old one stays", async () => {
    const r = target.client();
    await expect(r.call("CONFIG", "SET", "tls-cert-file", file("missing.crt"))).rejects.toThrow(
      "ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to update TLS configuration. Check server logs.",
    );
    expect(await r.call("CONFIG", "GET", "tls-cert-file")).toEqual(["tls-cert-file", file("server.crt")]);
    expect(await tlsPing()).toBe("+PONG\r\n");
  });
});
