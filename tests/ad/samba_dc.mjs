// A throwaway Samba Active Directory domain controller on loopback, for tests of the
// AD connector: provisioned into a fresh temp dir, with its own CA and a server
// certificate for 127.0.0.1 / ::1 / localhost, reachable over LDAPS only as far as the
// tests care (ldaps://127.0.0.1:636). Driven with the ldap-utils tools (ldapmodify,
// ldapsearch), each with LDAPTLS_CACERT set to the DC's CA.
//
//   const dc = await startSambaDc();
//   const ou = await dc.addOu("People");
//   const [alice] = await dc.addUsers([{ sam: "alice", givenName: "Alice", sn: "L" }], ou);
//   const found = await dc.search(dc.baseDn, "(sAMAccountName=alice)", ["objectGUID"]);
//   await dc.stop();
//
// Ports 389 and 636 are fixed, so only one DC can run at a time on a machine: starting
// refuses while 127.0.0.1:636 or :389 is taken (run test files that use it with
// `node --test --test-concurrency=1`). Needs root (Samba's DC insists) and the Debian
// packages deploy/local/setup.sh installs (samba, samba-ad-dc, ldap-utils, openssl).
//
// Only Samba's `ldap` service is started (no smbd, winbindd, KDC, RPC or DNS): startup
// is under a second, the DC is a single process in its own process group, and nothing
// else binds a port. Samba runs interactively (-i) with its stdin a pipe from this
// process, so it also terminates by itself if this process dies without cleaning up.

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, openSync, readFileSync, rmSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const REALM = "DIRBRIDGE.TEST";
const DNS_DOMAIN = "dirbridge.test";
const NETBIOS_DOMAIN = "DIRBRIDGE";
const BASE_DN = "DC=dirbridge,DC=test";
const LDAPS_PORT = 636;
const LDAP_PORT = 389;
const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const COMMAND_TIMEOUT_MS = 600_000;
const GROUP_MEMBER_CHUNK = 1000;
const SHOW_DELETED_OID = "1.2.840.113556.1.4.417";
// Global security group (ADS_GROUP_TYPE_GLOBAL_GROUP | ADS_GROUP_TYPE_SECURITY_ENABLED).
const GLOBAL_SECURITY_GROUP = -2147483646;
const UAC_NORMAL_ACCOUNT = 512;
const UAC_ACCOUNTDISABLE = 2;

// Attributes whose values are binary in AD: search() returns them as base64 text
// always (others given base64 by ldapsearch are decoded as UTF-8 text when they are).
const BINARY_ATTRIBUTES = new Set(
  [
    "objectGUID", "objectSid", "sIDHistory", "tokenGroups", "tokenGroupsGlobalAndUniversal",
    "mS-DS-ConsistencyGuid", "msExchMailboxGuid", "thumbnailPhoto", "jpegPhoto",
    "userCertificate", "cACertificate", "nTSecurityDescriptor", "replPropertyMetaData",
    "replUpToDateVector", "repsFrom", "repsTo", "logonHours", "unicodePwd", "dBCSPwd",
    "ntPwdHistory", "lmPwdHistory", "supplementalCredentials", "dnsRecord", "objectSID",
    "msDS-GenerationId", "schemaIDGUID", "attributeSecurityGUID", "invocationId",
    "msDS-RevealedUsers", "msDS-ManagedPassword",
  ].map((a) => a.toLowerCase()),
);

// ---------------------------------------------------------------------------------
// Child processes

// Runs `cmd args` (no shell) with `input` on stdin; resolves {code, signal, stdout,
// stderr, timedOut} whatever the exit status; rejects only when it cannot be started.
function run(cmd, args, { env, input = "", cwd, timeoutMs = COMMAND_TIMEOUT_MS } = {}) {
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(cmd, args, { env, cwd, stdio: ["pipe", "pipe", "pipe"] });
    } catch (e) {
      reject(new Error(`${cmd}: ${e.message}`));
      return;
    }
    const out = [];
    const err = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`${cmd}: ${e.code === "ENOENT" ? "not installed (bash deploy/local/setup.sh)" : e.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        timedOut,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      });
    });
    child.stdin.on("error", () => {}); // EPIPE when the tool exits before reading all
    child.stdin.end(input);
  });
}

function describeExit(r) {
  if (r.timedOut) return "timed out";
  return r.signal ? `killed by ${r.signal}` : `exit ${r.code}`;
}

function tail(text, lines = 30) {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

function readTail(file, lines = 30) {
  try {
    return tail(readFileSync(file, "utf8"), lines);
  } catch {
    return "(no log)";
  }
}

// Whether something accepts TCP connections on host:port.
function portInUse(port, host = "127.0.0.1") {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (inUse) => {
      socket.destroy();
      resolve(inUse);
    };
    socket.setTimeout(2000, () => done(true)); // something there, not answering
    socket.once("connect", () => done(true));
    socket.once("error", (e) => done(e.code !== "ECONNREFUSED" && e.code !== "EADDRNOTAVAIL"));
  });
}

// Whether any process is left in process group `pgid`.
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Waits for `promise` at most `ms` (without leaving a timer behind).
function waitAtMost(promise, ms) {
  let timer;
  return Promise.race([promise, new Promise((r) => (timer = setTimeout(r, ms)))]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------
// Cleanup when this process ends without stop(): kill every running DC's process group
// (and remove the temp dirs this module created). On SIGINT/SIGTERM/SIGHUP the signal
// is re-raised afterwards when no one else listens for it, so the default behaviour
// (terminate) is kept.

const live = new Set(); // {pgid, dir, ownDir}
let hooks = null;

function killAllSync() {
  for (const d of live) {
    try {
      process.kill(-d.pgid, "SIGKILL");
    } catch {}
    if (d.ownDir) {
      try {
        rmSync(d.dir, { recursive: true, force: true });
      } catch {}
    }
  }
  live.clear();
}

function installHooks() {
  if (hooks) return;
  hooks = { exit: killAllSync, signals: {} };
  process.on("exit", hooks.exit);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    const handler = () => {
      killAllSync();
      uninstallHooks();
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    hooks.signals[sig] = handler;
    process.on(sig, handler);
  }
}

function uninstallHooks() {
  if (!hooks) return;
  process.removeListener("exit", hooks.exit);
  for (const [sig, handler] of Object.entries(hooks.signals)) process.removeListener(sig, handler);
  hooks = null;
}

// ---------------------------------------------------------------------------------
// LDIF

// RFC 2849: a value is written as is only when it is a SAFE-STRING (and does not end
// in a space); otherwise base64.
const SAFE_STRING = /^(?:[\x01-\x09\x0b\x0c\x0e-\x1f\x21-\x39\x3b\x3d-\x7f][\x01-\x09\x0b\x0c\x0e-\x7f]*)?$/;

function ldifLine(name, value) {
  if (Buffer.isBuffer(value)) return `${name}:: ${value.toString("base64")}`;
  const s = String(value);
  if (SAFE_STRING.test(s) && !s.endsWith(" ")) return `${name}: ${s}`;
  return `${name}:: ${Buffer.from(s, "utf8").toString("base64")}`;
}

// Escapes an RDN attribute value (RFC 4514): `escapeDnValue("Smith, J")` → `Smith\, J`.
export function escapeDnValue(value) {
  let s = String(value).replace(/[\\,+"<>;=]/g, (c) => `\\${c}`).replace(/\0/g, "\\00");
  if (s.startsWith(" ") || s.startsWith("#")) s = `\\${s}`;
  if (s.endsWith(" ") && s.length > 1) s = `${s.slice(0, -1)}\\ `;
  return s;
}

// Serializes records [{dn, changetype?, attrs | lines}] into LDIF text. `attrs`:
// {name: value | [values]} (undefined/null values are left out). `lines`: raw LDIF lines
// after the dn/changetype (for modify records).
function toLdif(records) {
  const blocks = records.map((r) => {
    const lines = [ldifLine("dn", r.dn)];
    if (r.changetype) lines.push(`changetype: ${r.changetype}`);
    for (const [name, v] of Object.entries(r.attrs ?? {})) {
      for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined && one !== null) lines.push(ldifLine(name, one));
    }
    if (r.lines) lines.push(...r.lines);
    return lines.join("\n");
  });
  return `${blocks.join("\n\n")}\n`;
}

function decodeBase64Value(name, b64) {
  if (BINARY_ATTRIBUTES.has(name.split(";")[0].toLowerCase())) return b64;
  const buf = Buffer.from(b64, "base64");
  try {
    const s = new TextDecoder("utf-8", { fatal: true }).decode(buf);
    if (!/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(s)) return s;
  } catch {}
  return b64;
}

// Parses `ldapsearch -LLL` output into [{dn, attrs: {name: [values]}}]. Folded lines
// are joined, comments (search references, paging cookies) skipped; `name:: base64`
// values are decoded as UTF-8 text unless binary (see BINARY_ATTRIBUTES, or not valid
// text), which stay base64 text.
export function parseLdif(text) {
  const physical = text.replace(/\r\n/g, "\n").split("\n");
  const lines = [];
  for (const line of physical) {
    if (line.startsWith(" ") && lines.length > 0 && lines[lines.length - 1] !== "") lines[lines.length - 1] += line.slice(1);
    else lines.push(line);
  }
  const entries = [];
  let current = null;
  for (const line of lines) {
    if (line === "") {
      current = null;
      continue;
    }
    if (line.startsWith("#")) continue;
    const m = /^([^:]+)(::?|:<)\s?(.*)$/.exec(line);
    if (!m) throw new Error(`samba_dc: cannot parse LDIF line: ${line}`);
    const [, name, sep, raw] = m;
    const value = sep === "::" ? decodeBase64Value(name, raw) : raw;
    if (current === null) {
      if (name.toLowerCase() !== "dn") throw new Error(`samba_dc: LDIF entry does not start with dn: ${line}`);
      current = { dn: value, attrs: {} };
      entries.push(current);
      continue;
    }
    (current.attrs[name] ??= []).push(value);
  }
  return entries;
}

// An objectGUID as search() returns it (base64) in the usual string form
// ("f3402c80-b4e9-42f1-bff8-84ed45909271"; the first three groups little-endian).
export function objectGuidToString(b64) {
  const b = Buffer.from(b64, "base64");
  if (b.length !== 16) throw new Error(`samba_dc: objectGUID is ${b.length} bytes, not 16`);
  const hex = (buf) => buf.toString("hex");
  const rev = (s, e) => Buffer.from(b.subarray(s, e)).reverse();
  return `${hex(rev(0, 4))}-${hex(rev(4, 6))}-${hex(rev(6, 8))}-${hex(b.subarray(8, 10))}-${hex(b.subarray(10, 16))}`;
}

// ---------------------------------------------------------------------------------
// TLS material, with the openssl CLI and config files of our own (the system
// openssl.cnf plays no part).

async function openssl(args, env, cwd) {
  const r = await run("openssl", args, { env, cwd, timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`samba_dc: openssl ${args[0]} failed (${describeExit(r)}):\n${tail(r.stderr)}`);
}

async function makeCa(tlsDir, name, cn, env) {
  const key = path.join(tlsDir, `${name}.key`);
  const cert = path.join(tlsDir, `${name}.pem`);
  const cnf = path.join(tlsDir, `${name}.cnf`);
  await writeFile(
    cnf,
    [
      "[req]",
      "distinguished_name = dn",
      "[dn]",
      "[v3_ca]",
      "basicConstraints = critical,CA:TRUE",
      "keyUsage = critical,keyCertSign,cRLSign",
      "subjectKeyIdentifier = hash",
      "",
    ].join("\n"),
  );
  await openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key], env, tlsDir);
  await chmod(key, 0o600);
  await openssl(
    ["req", "-x509", "-new", "-key", key, "-out", cert, "-days", "30", "-sha256", "-subj", `/CN=${cn}`,
      "-config", cnf, "-extensions", "v3_ca", "-set_serial", `0x${randomBytes(8).toString("hex")}`],
    env,
    tlsDir,
  );
  return { key, cert };
}

async function makeTls(tlsDir, env) {
  await mkdir(tlsDir, { recursive: true, mode: 0o700 });
  const tag = randomBytes(4).toString("hex");
  const [ca, other] = await Promise.all([
    makeCa(tlsDir, "ca", `dirbridge test CA ${tag}`, env),
    makeCa(tlsDir, "other-ca", `dirbridge unrelated test CA ${tag}`, env),
  ]);
  const key = path.join(tlsDir, "server.key");
  const csr = path.join(tlsDir, "server.csr");
  const cert = path.join(tlsDir, "server.pem");
  const reqCnf = path.join(tlsDir, "server-req.cnf");
  const extCnf = path.join(tlsDir, "server-ext.cnf");
  await writeFile(reqCnf, "[req]\ndistinguished_name = dn\n[dn]\n");
  await writeFile(
    extCnf,
    [
      "basicConstraints = critical,CA:FALSE",
      "keyUsage = critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage = serverAuth",
      "subjectAltName = IP:127.0.0.1,IP:::1,DNS:localhost",
      "subjectKeyIdentifier = hash",
      "authorityKeyIdentifier = keyid",
      "",
    ].join("\n"),
  );
  await openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key], env, tlsDir);
  await chmod(key, 0o600); // Samba refuses a TLS key readable by others
  await openssl(["req", "-new", "-key", key, "-out", csr, "-subj", "/CN=localhost", "-config", reqCnf], env, tlsDir);
  await openssl(
    ["x509", "-req", "-in", csr, "-CA", ca.cert, "-CAkey", ca.key, "-out", cert, "-days", "30", "-sha256",
      "-set_serial", `0x${randomBytes(8).toString("hex")}`, "-extfile", extCnf],
    env,
    tlsDir,
  );
  return { caFile: ca.cert, otherCaFile: other.cert, keyFile: key, certFile: cert };
}

// ---------------------------------------------------------------------------------
// The DC

let starting = false;
let running = null; // the in-process DC, if any

async function refuseIfPortsTaken() {
  for (const port of [LDAPS_PORT, LDAP_PORT]) {
    if (await portInUse(port)) {
      throw new Error(
        `startSambaDc: 127.0.0.1:${port} is already in use; only one Samba DC can run at a time ` +
          `(another test file's DC, or a local LDAP/AD server). Run DC tests with --test-concurrency=1.`,
      );
    }
  }
}

// Adds our settings to [global] of the provisioned smb.conf: TLS with our own
// certificate, logs in the temp dir, and only the LDAP server.
async function configureSmbConf(confFile, dir, tls) {
  const conf = await readFile(confFile, "utf8");
  const lines = conf.split("\n");
  const global = lines.findIndex((l) => /^\s*\[global\]\s*$/i.test(l));
  if (global < 0) throw new Error(`samba_dc: no [global] section in ${confFile}`);
  let end = lines.findIndex((l, i) => i > global && /^\s*\[/.test(l));
  if (end < 0) end = lines.length;
  const ours = {
    "tls enabled": "yes",
    "tls keyfile": tls.keyFile,
    "tls certfile": tls.certFile,
    "tls cafile": tls.caFile,
    "server services": "ldap",
    "log file": path.join(dir, "log.%m"),
  };
  const keyOf = (l) => l.split("=")[0].trim().toLowerCase();
  const kept = lines.slice(global + 1, end).filter((l) => !(keyOf(l) in ours));
  const added = Object.entries(ours).map(([k, v]) => `\t${k} = ${v}`);
  const out = [...lines.slice(0, global + 1), ...added, ...kept, ...lines.slice(end)];
  await writeFile(confFile, out.join("\n"));
}

export async function startSambaDc({ dir } = {}) {
  if (starting || running) throw new Error("startSambaDc: a Samba DC is already running in this process; stop it first");
  starting = true;
  try {
    return await start(dir);
  } finally {
    starting = false;
  }
}

async function start(givenDir) {
  await refuseIfPortsTaken();

  let dir;
  let ownDir;
  if (givenDir) {
    dir = path.resolve(givenDir);
    await mkdir(dir, { recursive: true });
    if ((await readdir(dir)).length > 0) throw new Error(`startSambaDc: ${dir} is not empty`);
    ownDir = false;
  } else {
    dir = await mkdtemp(path.join(os.tmpdir(), "dirbridge-samba-dc-"));
    ownDir = true;
  }
  await chmod(dir, 0o700);

  const cleanupDir = async () => {
    if (ownDir) await rm(dir, { recursive: true, force: true });
  };

  const tlsDir = path.join(dir, "tls");
  const caFile = path.join(tlsDir, "ca.pem");
  const env = { ...process.env, LDAPTLS_CACERT: caFile, LDAPTLS_REQCERT: "demand" };
  const password = `Adm1n-${randomBytes(12).toString("hex")}`;
  const passwordFile = path.join(dir, "admin.password");
  const confFile = path.join(dir, "etc", "smb.conf");
  const logFile = path.join(dir, "samba.log");
  const timings = {};

  let child = null;
  let state = null;
  try {
    await writeFile(passwordFile, password, { mode: 0o600 });
    await chmod(passwordFile, 0o600);
    // The certificates are made while samba-tool provisions (which does not need them).
    const tlsPromise = makeTls(tlsDir, env);
    tlsPromise.catch(() => {}); // awaited below; no unhandled rejection meanwhile

    let t0 = Date.now();
    const prov = await run(
      "samba-tool",
      [
        "domain", "provision",
        `--targetdir=${dir}`,
        `--realm=${REALM}`,
        `--domain=${NETBIOS_DOMAIN}`,
        "--server-role=dc",
        "--dns-backend=NONE",
        `--adminpass=${password}`,
        "--option=interfaces=lo",
        "--option=bind interfaces only=yes",
      ],
      { env, cwd: dir, timeoutMs: 180_000 },
    );
    timings.provisionMs = Date.now() - t0;
    await writeFile(path.join(dir, "provision.log"), prov.stdout + prov.stderr);
    if (prov.code !== 0) {
      throw new Error(`startSambaDc: samba-tool domain provision failed (${describeExit(prov)}):\n${tail(prov.stdout + prov.stderr)}`);
    }
    const tls = await tlsPromise;
    await configureSmbConf(confFile, dir, tls);

    // Provisioning took seconds: check again right before binding the ports.
    await refuseIfPortsTaken();

    t0 = Date.now();
    const logFd = openSync(logFile, "a", 0o600);
    try {
      child = spawn("samba", ["-s", confFile, "-i", "-M", "single"], {
        cwd: dir,
        env,
        detached: true, // its own process group, killed as a whole
        stdio: ["pipe", logFd, logFd],
      });
    } finally {
      closeSync(logFd);
    }
    state = { pgid: child.pid, dir, ownDir, exited: false, exitCode: null, exitSignal: null, spawnError: null };
    const exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        state.exited = true;
        state.exitCode = code;
        state.exitSignal = signal;
        resolve();
      });
    });
    child.once("error", (e) => {
      state.spawnError = e;
      state.exited = true;
    });
    child.stdin.on("error", () => {});
    state.exitedPromise = exited;
    if (child.pid !== undefined) {
      live.add(state);
      installHooks();
    }
    // Don't let a forgotten DC keep this process alive: the exit hook kills it.
    child.unref();
    child.stdin.unref?.();

    const ldap = makeLdap({ env, passwordFile });
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    let last = null;
    for (;;) {
      if (state.spawnError) throw new Error(`startSambaDc: cannot run samba: ${state.spawnError.message}`);
      if (state.exited) {
        throw new Error(
          `startSambaDc: samba exited during startup (${state.exitSignal ?? `exit ${state.exitCode}`}); ` +
            `tail of samba.log:\n${readTail(logFile)}`,
        );
      }
      last = await ldap.bind({});
      if (last.ok) break;
      if (Date.now() >= deadline) {
        throw new Error(
          `startSambaDc: no LDAPS bind within ${STARTUP_TIMEOUT_MS / 1000} s (last: ${describeExit(last)} ${tail(last.stderr, 3)}); ` +
            `tail of samba.log:\n${readTail(logFile)}`,
        );
      }
      await sleep(100);
    }
    timings.startMs = Date.now() - t0;

    const dc = makeDc({ dir, ownDir, child, state, env, password, passwordFile, tls, ldap, timings });
    running = dc;
    return dc;
  } catch (e) {
    if (state && !state.exited) {
      try {
        process.kill(-state.pgid, "SIGKILL");
      } catch {}
      child.ref();
      await waitAtMost(state.exitedPromise, STOP_TIMEOUT_MS);
    }
    if (state) live.delete(state);
    if (live.size === 0) uninstallHooks();
    child?.stdin?.destroy();
    await cleanupDir().catch(() => {});
    throw e;
  }
}

// The ldap-utils invocations, bound as the domain Administrator.
function makeLdap({ env, passwordFile }) {
  const url = `ldaps://127.0.0.1:${LDAPS_PORT}`;
  const bindDn = `Administrator@${DNS_DOMAIN}`;
  const auth = ["-H", url, "-x", "-D", bindDn, "-y", passwordFile, "-o", "nettimeout=30"];

  const fail = (what, r) => {
    const progress = r.stdout.trim().split("\n").filter(Boolean).slice(-1)[0];
    return new Error(
      `samba_dc: ${what} failed (${describeExit(r)}):\n${r.stderr.trim()}${progress ? `\n(last progress: ${progress})` : ""}`,
    );
  };

  return {
    url,
    bindDn,
    // A simple bind (and a rootDSE read) with these credentials and CA; {ok, code, stderr}.
    // ldapwhoami cannot serve here: Samba does not implement the Who am I? operation,
    // so it fails after a successful bind.
    async bind({ bindDn: dn = bindDn, password, caFile } = {}) {
      const creds = password === undefined ? ["-y", passwordFile] : ["-w", password];
      const r = await run(
        "ldapsearch",
        ["-H", url, "-x", "-D", dn, ...creds, "-o", "nettimeout=10", "-LLL", "-s", "base", "-b", "", "(objectClass=*)", "defaultNamingContext"],
        { env: caFile ? { ...env, LDAPTLS_CACERT: caFile } : env, timeoutMs: 30_000 },
      );
      return { ok: r.code === 0, code: r.code, stderr: r.stderr, stdout: r.stdout, timedOut: r.timedOut, signal: r.signal };
    },
    async modify(text) {
      const r = await run("ldapmodify", [...auth, "-a"], { env, input: text });
      if (r.code !== 0) throw fail("ldapmodify", r);
    },
    async search(base, filter, attrs, { scope = "sub", showDeleted = false } = {}) {
      const args = [...auth, "-LLL", "-o", "ldif_wrap=no", "-E", "pr=1000/noprompt"];
      if (showDeleted) args.push("-E", `!${SHOW_DELETED_OID}`);
      args.push("-b", base, "-s", scope, filter, ...attrs);
      const r = await run("ldapsearch", args, { env });
      if (r.code !== 0) throw fail(`ldapsearch -b "${base}" "${filter}"`, r);
      return parseLdif(r.stdout);
    },
  };
}

function makeDc({ dir, ownDir, child, state, env, password, passwordFile, tls, ldap, timings }) {
  let stopping = null;

  async function stop({ keep = false } = {}) {
    stopping ??= (async () => {
      child.ref(); // keep this process alive while waiting for the exit
      if (!state.exited) {
        try {
          process.kill(-state.pgid, "SIGTERM");
        } catch {}
        await waitAtMost(state.exitedPromise, STOP_TIMEOUT_MS);
      }
      // The group may outlive its leader (or the leader ignored SIGTERM): SIGKILL it.
      const deadline = Date.now() + STOP_TIMEOUT_MS;
      while (!state.exited || groupAlive(state.pgid)) {
        try {
          process.kill(-state.pgid, "SIGKILL");
        } catch {}
        if (Date.now() >= deadline) throw new Error(`samba_dc: process group ${state.pgid} did not exit`);
        await sleep(50);
      }
      child.stdin?.destroy();
      live.delete(state);
      if (live.size === 0) uninstallHooks();
      if (running === dc) running = null;
    })();
    await stopping;
    if (!keep) await rm(dir, { recursive: true, force: true });
  }

  const dc = {
    url: ldap.url,
    baseDn: BASE_DN,
    bindDn: ldap.bindDn,
    password,
    passwordFile,
    caFile: tls.caFile,
    otherCaFile: tls.otherCaFile,
    dir,
    pid: state.pgid, // samba's pid, also its process group id
    realm: REALM,
    domain: NETBIOS_DOMAIN,
    dnsDomain: DNS_DOMAIN,
    logFile: path.join(dir, "samba.log"),
    timings, // {provisionMs, startMs}
    // The environment every ldap-utils call gets (LDAPTLS_CACERT = caFile).
    env,

    // Applies LDIF text: records without changetype are adds; changetype: modify /
    // delete / modrdn / add as written. Stops at the first failure and throws with
    // ldap-utils' stderr.
    async ldif(text) {
      await ldap.modify(text);
    },

    // ldapsearch, paged; [{dn, attrs: {name: [values]}}] (see parseLdif for values).
    // `attrs` empty: all user attributes. scope: base | one | sub | children.
    async search(base, filter = "(objectClass=*)", attrs = [], opts = {}) {
      return ldap.search(base, filter, attrs, opts);
    },

    // A simple bind as someone (default: the Administrator with dc.passwordFile),
    // trusting `caFile` (default dc.caFile): {ok, code, stderr}; code 49 = invalid
    // credentials, 255 = could not connect (e.g. certificate not trusted).
    async bind(opts = {}) {
      return ldap.bind(opts);
    },

    async addOu(name, parentDn = BASE_DN) {
      const dn = `OU=${escapeDnValue(name)},${parentDn}`;
      await ldap.modify(toLdif([{ dn, attrs: { objectClass: "organizationalUnit", ou: name } }]));
      return dn;
    },

    // users: [{sam, givenName, sn, mail?, title?, department?, employeeID?, disabled?,
    //          displayName?, password?, attributes?: {name: value | [values]}}]
    // One LDIF, one ldapmodify. Enabled accounts (userAccountControl 512) need no
    // password on Samba; `password` sets unicodePwd in the add (about 20 ms a user).
    async addUsers(users, ouDn) {
      if (users.length === 0) return [];
      const records = users.map((u) => {
        if (!u.sam) throw new Error("samba_dc: addUsers: every user needs a sam");
        const attrs = {
          objectClass: "user",
          sAMAccountName: u.sam,
          userPrincipalName: `${u.sam}@${DNS_DOMAIN}`,
          givenName: u.givenName,
          sn: u.sn,
          displayName: u.displayName ?? ([u.givenName, u.sn].filter(Boolean).join(" ") || undefined),
          mail: u.mail,
          title: u.title,
          department: u.department,
          employeeID: u.employeeID,
          userAccountControl: String(UAC_NORMAL_ACCOUNT | (u.disabled ? UAC_ACCOUNTDISABLE : 0)),
          ...(u.attributes ?? {}),
        };
        if (u.password !== undefined) attrs.unicodePwd = Buffer.from(`"${u.password}"`, "utf16le");
        return { dn: `CN=${escapeDnValue(u.sam)},${ouDn}`, attrs };
      });
      await ldap.modify(toLdif(records));
      return records.map((r) => r.dn);
    },

    // A global security group; members in the add when at most 1000 of them, else
    // added by modifies of 1000 each (in the same ldapmodify run).
    async addGroup(name, ouDn, memberDns = []) {
      const dn = `CN=${escapeDnValue(name)},${ouDn}`;
      const attrs = { objectClass: "group", sAMAccountName: name, groupType: String(GLOBAL_SECURITY_GROUP) };
      const records = [];
      if (memberDns.length <= GROUP_MEMBER_CHUNK) {
        records.push({ dn, changetype: "add", attrs: { ...attrs, member: memberDns } });
      } else {
        records.push({ dn, changetype: "add", attrs });
        for (let i = 0; i < memberDns.length; i += GROUP_MEMBER_CHUNK) {
          const chunk = memberDns.slice(i, i + GROUP_MEMBER_CHUNK);
          records.push({ dn, changetype: "modify", lines: ["add: member", ...chunk.map((m) => ldifLine("member", m)), "-"] });
        }
      }
      await ldap.modify(toLdif(records));
      return dn;
    },

    // Stops samba (SIGTERM to its process group, SIGKILL after 10 s), waits until the
    // group is gone, and removes dc.dir unless {keep: true}.
    stop,
  };
  return dc;
}
