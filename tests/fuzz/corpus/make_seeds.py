#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/).

Run from anywhere: python3 tests/fuzz/corpus/make_seeds.py. The seeds are
checked in; rerun after editing this file.
"""
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    os.makedirs(os.path.join(HERE, target), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(HERE, target, name), "wb") as f:
        f.write(data)


def js(value):
    return json.dumps(value, separators=(",", ":"))


# --- envelope ------------------------------------------------------------------
def env(base, ops=(), stream_ops=(), upload_ops=(), events=()):
    return {"type": "patch", "root_id": "Shop.CartStore:cart-7", "base_version": base,
            "version": base + 1, "ops": list(ops), "stream_ops": list(stream_ops),
            "upload_ops": list(upload_ops), "events": list(events)}


def ins(stream, key, item, at=-1, limit=None, store=()):
    return {"op": "insert", "stream": stream, "ref": "0", "store_id": list(store),
            "item_key": key, "at": at, "item": item, "limit": limit}


def up(op, **kw):
    o = {"op": op, "upload": "avatar", "store_id": []}
    o.update(kw)
    return o


entry = {"ref": "1", "client_name": "b.png", "client_size": 20, "client_type": "image/png",
         "progress": 0, "status": "pending", "errors": []}
envelopes = {
    "replace_title": env(1, [{"op": "replace", "path": "/title", "value": "Cart (3)"}]),
    "add_tag": env(1, [{"op": "add", "path": "/tags/-", "value": "c"},
                       {"op": "add", "path": "/tags/0", "value": {"x": [1]}}]),
    "remove_line": env(1, [{"op": "remove", "path": "/lines/0"}]),
    "edit_store_id": env(1, [{"op": "replace", "path": "/lines/1/__musubi_store_id__/1",
                              "value": "line-9"}]),
    "new_child_store": env(1, [{"op": "add", "path": "/extra", "value": {
        "__musubi_store_id__": ["extra"], "log": {"__musubi_stream__": "log"}}}],
        [ins("log", "k", 1, store=["extra"])]),
    "drop_panel": env(1, [{"op": "remove", "path": "/panel"}]),
    "panel_not_a_store": env(1, [{"op": "remove", "path": "/panel/__musubi_store_id__"}]),
    "async_transition": env(1, [
        {"op": "replace", "path": "/lines/1/note/status", "value": "failed"},
        {"op": "replace", "path": "/lines/1/note/reason",
         "value": {"kind": "error", "value": "nope"}}]),
    "whole_root": env(1, [{"op": "replace", "path": "", "value": {
        "__musubi_store_id__": [], "a": [{"__musubi_store_id__": ["x"]}]}}]),
    "streams": env(1, [], [ins("messages", "m-3", {"id": 3}, 0, -2),
                          ins("messages", "m-1", {"id": 1}, 5),
                          {"op": "delete", "stream": "messages", "ref": "0", "store_id": [],
                           "item_key": "m-2"},
                          {"op": "reset", "stream": "items", "ref": "0", "store_id": ["panel"]},
                          ins("feed", "f-2", "x", 1, 0)]),
    "uploads": env(1, [], [], [
        up("add", ref="1", entry=entry), up("progress", ref="1", progress=50),
        up("complete", ref="0"), up("error", ref="1", error={"code": "too_large", "message": "m"}),
        up("error", error={"code": "internal", "message": "x"}), up("cancel", ref="0"),
        up("reset"), up("config", config={"accept": "any", "max_entries": 3,
                                           "max_file_size": 5, "chunk_size": 1}),
        up("bogus")]),
    "events": env(1, [{"op": "replace", "path": "/count", "value": 3}], [], [], [
        {"store_id": [], "name": "toast", "payload": {"n": 1}},
        {"store_id": ["panel"], "name": "opened"}, {"name": "root_scoped", "payload": None},
        {"store_id": ["nowhere"], "name": "lost"}]),
    "bad_pointer": env(1, [{"op": "replace", "path": "/title", "value": "ok"},
                           {"op": "remove", "path": "/missing/x"}]),
    "bad_stream_op": env(1, [], [{"op": "insert", "stream": 3}]),
    "move_op": env(1, [{"op": "move", "from": "/title", "path": "/t"}]),
}
for name, value in envelopes.items():
    write("envelope", name, js(value))
write("envelope", "sequence", js([envelopes["new_child_store"], envelopes["streams"],
                                  envelopes["drop_panel"], envelopes["whole_root"]]))
write("envelope", "not_an_object", "[1,\"x\",null]")
# A hostile server rendering the root's id twice, then dropping the copy.
write("envelope", "duplicate_store_id", js([
    {"ops": [{"op": "add", "path": "/extra", "value": {"__musubi_store_id__": [], "": {}}}]},
    {"ops": [{"op": "add", "path": "/extra", "value": {}}]}]))

# --- phoenix_frame -------------------------------------------------------------
def text(*slots):
    return js(list(slots))


frames = {
    "reply_ok": text("1", "1", "room:1", "phx_reply", {"status": "ok", "response": {}}),
    "reply_error": text("1", "2", "room:1", "phx_reply",
                        {"status": "error", "response": {"reason": "nope"}}),
    "push": text("1", None, "room:1", "patch", {"type": "patch", "ops": []}),
    "broadcast": text(None, None, "room:1", "news", [1, 2]),
    "heartbeat": text(None, "3", "phoenix", "phx_reply", {"status": "ok", "response": {}}),
    "phx_error": text("1", "1", "room:1", "phx_error", {}),
    "phx_close": text("1", "1", "room:1", "phx_close", {}),
    "wrong_arity": text("1", "1", "room:1"),
}
for name, frame in frames.items():
    write("phoenix_frame", name, frame)


def header(kind, fields):
    raw = [f.encode() for f in fields]
    return bytes([kind] + [len(f) for f in raw]) + b"".join(raw)


write("phoenix_frame", "bin_push", header(0, ["1", "room:1", "evt"]) + b"payload")
write("phoenix_frame", "bin_reply", header(1, ["1", "2", "room:1", "ok"]) + b"\x00\x01")
write("phoenix_frame", "bin_broadcast", header(2, ["room:1", "evt"]) + b"data")
write("phoenix_frame", "bin_client_push", header(0, ["1", "2", "room:1", "upload"]) + b"chunk")


def session(*records):
    out = b"S"
    for kind, data in records:
        data = data.encode() if isinstance(data, str) else data
        out += kind + struct.pack(">H", len(data)) + data
    return out


write("phoenix_frame", "session_join_then_push", session(
    (b"T", frames["reply_ok"]), (b"T", frames["push"]),
    (b"T", text("1", "2", "room:1", "phx_reply", {"status": "ok", "response": {"a": 1}})),
    (b"B", header(2, ["room:1", "evt"]) + b"x")))
write("phoenix_frame", "session_error_rejoin", session(
    (b"T", frames["reply_ok"]), (b"T", frames["phx_error"]),
    (b"T", text("4", "4", "room:1", "phx_reply", {"status": "ok", "response": {}}))))
write("phoenix_frame", "session_close", session(
    (b"T", frames["reply_ok"]), (b"T", frames["phx_close"]), (b"T", frames["push"])))
write("phoenix_frame", "session_join_refused", session(
    (b"T", text("1", "1", "room:1", "phx_reply",
                {"status": "error", "response": {"reason": "unauthorized"}}))))

# --- json_pointer --------------------------------------------------------------
pointers = ["", "/", "/a", "/a/b", "/0", "/-", "/items/12", "/a~1b", "/m~0n", "/~", "/~2",
            "a/b", "//", "/0/01", "/__musubi_store_id__/1", "/lines/1/__musubi_store_id__/1",
            "/\u00fc/\u20ac", "/999999999999999", "/1234567890123456"]
for i, p in enumerate(pointers):
    write("json_pointer", "seed_%d" % i, p)
