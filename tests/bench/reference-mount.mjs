// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// The reference runtime's mount work on node, for musubi_bench to compare with:
// parse the envelope text, apply its `replace ""` op, index every store node (store id
// key -> node), as ../shared/reference/runtime.ts does on an initial patch; its store
// proxies are made lazily, on access, so they are not part of the mount.
//   node reference-mount.mjs <envelope.json> [passes]
// Prints `reference_mount_ms: <best of the passes>`.
import { readFileSync } from "node:fs";

const STORE_ID_KEY = "__musubi_store_id__";

function isStoreId(value) {
    return Array.isArray(value) && value.every((part) => typeof part === "string");
}

function indexStores(value, index) {
    if (Array.isArray(value)) {
        for (const entry of value) indexStores(entry, index);
        return;
    }
    if (value === null || typeof value !== "object") return;
    const id = value[STORE_ID_KEY];
    if (isStoreId(id)) index.set(JSON.stringify(id), value);
    for (const child of Object.values(value)) indexStores(child, index);
}

function mount(text) {
    const envelope = JSON.parse(text);
    let root;
    for (const op of envelope.ops) {
        if (op.op === "replace" && op.path === "") root = op.value;
        else throw new Error(`unexpected op ${op.op} ${op.path}`);
    }
    const index = new Map();
    indexStores(root, index);
    return index;
}

const [file, passesArg] = process.argv.slice(2);
if (!file) {
    console.error("usage: node reference-mount.mjs <envelope.json> [passes]");
    process.exit(2);
}
const text = readFileSync(file, "utf8");
const passes = Number(passesArg ?? 15);
let best = Infinity;
let stores = 0;
for (let pass = 0; pass < passes + 5; ++pass) { // the first 5 warm the JIT up
    const start = process.hrtime.bigint();
    const index = mount(text);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    stores = index.size;
    if (pass >= 5) best = Math.min(best, ms);
}
console.log(`reference_mount_stores: ${stores}`);
console.log(`reference_mount_ms: ${best.toFixed(3)}`);
