// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// Drives the official phoenix.js Socket/Channel against MusubiTestServer:
// connect with params, join both profiles, mount a root, receive the initial
// patch, push a command, get the reply and the following patch, leave. Then
// checks the standalone musubi-test-server (listening line, profile switch,
// clean SIGTERM shutdown).
//
//   node interop.js <interop-host> <musubi-test-server>
"use strict";

const { spawn } = require("node:child_process");
const assert = require("node:assert/strict");
const { Socket } = require("phoenix");
const { WebSocket } = require("ws");

const [hostBinary, standaloneBinary] = process.argv.slice(2);
if (!hostBinary || !standaloneBinary) {
  console.error("usage: node interop.js <interop-host> <musubi-test-server>");
  process.exit(2);
}

const STEP_TIMEOUT_MS = 5000;
const children = [];

function withTimeout(promise, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), STEP_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

function startServer(binary, args) {
  const child = spawn(binary, args, { stdio: ["pipe", "pipe", "inherit"] });
  children.push(child);
  const url = new Promise((resolve, reject) => {
    let buffer = "";
    child.stdout.on("data", (chunk) => {
      buffer += chunk;
      const newline = buffer.indexOf("\n");
      if (newline >= 0) {
        const line = buffer.slice(0, newline);
        const match = /^listening: (ws:\/\/127\.0\.0\.1:\d+\/socket)$/.exec(line);
        if (match) resolve(match[1]);
        else reject(new Error(`unexpected first line: ${JSON.stringify(line)}`));
      }
    });
    child.on("exit", (code) => reject(new Error(`${binary} exited early (${code})`)));
  });
  return { child, url: withTimeout(url, `${binary} listening line`) };
}

// Resolves a phoenix.js Push as a promise of {status, response}.
function receive(push, what) {
  return withTimeout(
    new Promise((resolve) => {
      push
        .receive("ok", (response) => resolve({ status: "ok", response }))
        .receive("error", (response) => resolve({ status: "error", response }))
        .receive("timeout", () => resolve({ status: "timeout" }));
    }),
    what,
  );
}

// Collects a channel's patch pushes; next() awaits the following one.
function patchQueue(channel, log) {
  const queue = [];
  const waiters = [];
  channel.on("patch", (payload) => {
    log.push("patch");
    if (waiters.length) waiters.shift()(payload);
    else queue.push(payload);
  });
  return {
    next(what) {
      if (queue.length) return Promise.resolve(queue.shift());
      return withTimeout(new Promise((resolve) => waiters.push(resolve)), what);
    },
  };
}

async function connect(url, params) {
  const socket = new Socket(url, {
    transport: WebSocket,
    params,
    heartbeatIntervalMs: 100,
    reconnectAfterMs: () => 60000,
    logger: process.env.INTEROP_DEBUG ? (kind, msg, data) => console.log(kind, msg, data) : undefined,
  });
  const problems = [];
  socket.onError((e) => problems.push(`socket error ${e && e.message}`));
  socket.onClose(() => problems.push("socket closed"));
  let heartbeatReplies = 0;
  socket.onMessage((m) => {
    if (m.topic === "phoenix" && m.event === "phx_reply") heartbeatReplies += 1;
  });
  await withTimeout(
    new Promise((resolve) => {
      socket.onOpen(resolve);
      socket.connect();
    }),
    "socket open",
  );
  return { socket, problems, heartbeats: () => heartbeatReplies };
}

async function perRootProfile(url) {
  const { socket, problems, heartbeats } = await connect(url, { token: "interop" });
  const topic = "musubi:connection:Interop.CounterStore:one";
  const channel = socket.channel(topic, { module: "Interop.CounterStore", id: "one", params: { count: 3 } });
  const log = [];
  const patches = patchQueue(channel, log);
  const events = [];

  const joined = await receive(channel.join(), "per-root join");
  assert.deepEqual(joined, { status: "ok", response: { root_id: "Interop.CounterStore:one" } });
  const initial = await patches.next("per-root initial patch");
  assert.deepEqual(initial, {
    type: "patch",
    root_id: "Interop.CounterStore:one",
    base_version: 0,
    version: 1,
    ops: [{ op: "replace", path: "", value: { __musubi_store_id__: [], count: 3, token: "interop" } }],
    stream_ops: [],
    upload_ops: [],
    events: [],
  });

  const push = channel.push("command", { store_id: [], name: "increment", payload: { amount: 2 } });
  push.receive("ok", () => log.push("reply"));
  const reply = await receive(push, "per-root command reply");
  assert.deepEqual(reply, { status: "ok", response: { count: 5 } });
  const next = await patches.next("per-root command patch");
  assert.deepEqual(log, ["patch", "reply", "patch"], "reply arrives before its patch");
  assert.equal(next.base_version, 1);
  assert.equal(next.version, 2);
  assert.deepEqual(next.ops, [{ op: "replace", path: "/count", value: 5 }]);
  for (const e of next.events) events.push(e);
  assert.deepEqual(events, [{ store_id: [], name: "incremented", payload: { by: 2 } }]);

  const unknown = await receive(channel.push("command", { store_id: [], name: "nope", payload: {} }), "unknown command");
  assert.deepEqual(unknown, { status: "error", response: { reason: "unknown command" } });

  // Let a few heartbeats (100 ms interval) round-trip.
  await new Promise((resolve) => setTimeout(resolve, 450));
  assert.ok(heartbeats() >= 2, `heartbeats answered: ${heartbeats()}`);

  const left = await receive(channel.leave(), "per-root leave");
  assert.equal(left.status, "ok");
  assert.deepEqual(problems, []);
  socket.disconnect();
  console.log("ok - per-root profile: join=mount, initial patch, command reply then patch, leave");
}

async function sharedProfile(url) {
  const { socket, problems } = await connect(url, { token: "interop" });
  const channel = socket.channel("musubi:connection", {});
  const log = [];
  const patches = patchQueue(channel, log);
  const joined = await receive(channel.join(), "shared join");
  assert.deepEqual(joined, { status: "ok", response: {} });

  const mount = { module: "Interop.CounterStore", id: "two", params: {} };
  const mounted = await receive(channel.push("mount", mount), "shared mount");
  assert.deepEqual(mounted, { status: "ok", response: { root_id: "Interop.CounterStore:two" } });
  const initial = await patches.next("shared initial patch");
  assert.equal(initial.root_id, "Interop.CounterStore:two");
  assert.equal(initial.version, 1);
  assert.equal(initial.ops[0].value.count, 0);

  const again = await receive(channel.push("mount", mount), "shared duplicate mount");
  assert.deepEqual(again, { status: "error", response: { reason: "already_mounted", root_id: "Interop.CounterStore:two" } });

  const reply = await receive(
    channel.push("command", { root_id: "Interop.CounterStore:two", store_id: [], name: "increment", payload: { amount: 1 } }),
    "shared command",
  );
  assert.deepEqual(reply, { status: "ok", response: { count: 1 } });
  const next = await patches.next("shared command patch");
  assert.equal(next.root_id, "Interop.CounterStore:two");
  assert.deepEqual(next.ops, [{ op: "replace", path: "/count", value: 1 }]);

  const unmounted = await receive(channel.push("unmount", { root_id: "Interop.CounterStore:two" }), "shared unmount");
  assert.deepEqual(unmounted, { status: "ok", response: {} });
  const gone = await receive(channel.push("unmount", { root_id: "Interop.CounterStore:two" }), "unmount again");
  assert.deepEqual(gone, { status: "error", response: { reason: "unknown root" } });

  assert.equal((await receive(channel.leave(), "shared leave")).status, "ok");
  assert.deepEqual(problems, []);
  socket.disconnect();
  console.log("ok - shared profile: mount, already_mounted, command reply then patch, unmount, leave");
}

async function refusedSocket(url) {
  const socket = new Socket(url, { transport: WebSocket, params: { token: "bad" }, reconnectAfterMs: () => 60000 });
  const refused = withTimeout(new Promise((resolve) => socket.onError(resolve)), "refused socket error");
  socket.connect();
  await refused;
  socket.disconnect();
  console.log("ok - connect params reach the authenticator, refusal is seen by phoenix.js");
}

async function standalone() {
  const { child, url } = startServer(standaloneBinary, ["--profile", "per-root", "--port", "0"]);
  const base = await url;
  const { socket } = await connect(base, {});
  const refused = await receive(socket.channel("musubi:connection", {}).join(), "shared join on a per-root server");
  assert.deepEqual(refused, { status: "error", response: { reason: "unauthorized" } });
  socket.disconnect();
  const exited = withTimeout(new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal }))), "SIGTERM shutdown");
  child.kill("SIGTERM");
  assert.deepEqual(await exited, { code: 0, signal: null });
  console.log("ok - musubi-test-server: listening line, --profile per-root, clean SIGTERM exit");
}

async function main() {
  const host = startServer(hostBinary, []);
  const url = await host.url;
  await perRootProfile(url);
  await sharedProfile(url);
  await refusedSocket(url);
  host.child.stdin.end();
  await standalone();
}

main().then(
  () => {
    console.log("interop: all checks passed");
    process.exit(0);
  },
  (error) => {
    console.error("interop: FAILED:", error && error.stack ? error.stack : error);
    for (const child of children) child.kill("SIGKILL");
    process.exit(1);
  },
);
