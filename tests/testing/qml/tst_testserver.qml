// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Musubi.Testing
import MusubiTestingTests

TestCase {
    id: testCase
    name: "MusubiTestServer"

    MusubiTestServer {
        id: server

        MusubiTestRootStore {
            id: counter
            module: "Qml.Counter"
            initialState: ({ count: 0, label: "clicks" })
            commands: ({
                increment: function (payload, store) {
                    store.setValue("count", store.value("count") + (payload.amount || 1))
                },
                echo: function (payload, store) { return payload },
                fail: function (payload, store) { return counter.replyError("nope") },
                boom: function (payload, store) { throw new Error("boom") },
                toast: function (payload, store) { store.pushEvent("toast", payload) },
                line: function (payload, store) { store.streamInsert("lines", payload.key, payload, -1, null) }
            })
            onMounted: (store) => store.setValue("id", store.instanceId)
        }

        MusubiTestRootStore {
            module: "Qml.Rendered"
            initialState: ({ n: 2 })
            render: (store) => ({ doubled: store.value("n") * 2, lines: store.streamSlot("lines"),
                                  stats: store.asyncOk({ total: 1 }) })
        }

        MusubiTestRootStore {
            module: "Qml.Refused"
            refuseReason: "not_found"
        }
    }

    RawClient { id: client }

    SignalSpy { id: mountedSpy; target: server; signalName: "rootMounted" }

    function lastOf(event) {
        for (let i = client.messages.length - 1; i >= 0; --i)
            if (client.messages[i].event === event)
                return client.messages[i]
        return null
    }
    function replyTo(ref) {
        for (const m of client.messages)
            if (m.event === "phx_reply" && m.ref === ref)
                return m
        return null
    }
    function patchCount() {
        let count = 0
        for (const m of client.messages)
            if (m.event === "patch")
                ++count
        return count
    }

    function mount(module, id, params) {
        const topic = "musubi:connection:" + module + ":" + id
        const ref = client.join(topic, { module: module, id: id, params: params || {} })
        tryVerify(() => replyTo(ref) !== null)
        return { topic: topic, joinRef: ref, reply: replyTo(ref) }
    }

    function init() {
        verify(server.listening)
        client.clear()
        client.open(server.url, { token: "qml" })
        tryVerify(() => client.connected)
    }

    function cleanup() {
        client.close()
        tryVerify(() => server.connectionCount === 0)
        mountedSpy.clear()
    }

    function test_url() {
        verify(server.port > 0)
        compare("" + server.url, "ws://127.0.0.1:" + server.port + "/socket")
    }

    function test_mountAndCommand() {
        const mountsBefore = counter.mountCount
        const m = mount("Qml.Counter", "a")
        compare(m.reply.payload, { status: "ok", response: { root_id: "Qml.Counter:a" } })
        tryVerify(() => patchCount() === 1)
        const initial = lastOf("patch").payload
        compare(initial.ops, [{ op: "replace", path: "",
                                value: { __musubi_store_id__: [], count: 0, label: "clicks", id: "a" } }])
        compare(mountedSpy.count, 1)
        compare(server.mountedRootCount, 1)
        compare(counter.mountCount, mountsBefore + 1)

        const ref = client.send(m.joinRef, m.topic, "command", { store_id: [], name: "increment", payload: { amount: 3 } })
        tryVerify(() => patchCount() === 2)
        compare(replyTo(ref).payload, { status: "ok", response: {} })
        compare(lastOf("patch").payload.ops, [{ op: "replace", path: "/count", value: 3 }])
        compare(server.mountedRoot("Qml.Counter:a").value("count"), 3)
        compare(server.rootVersion("Qml.Counter:a"), 2)

        // Server-side change from QML.
        server.mountedRoot("Qml.Counter:a").setValue("label", "taps")
        tryVerify(() => patchCount() === 3)
        compare(lastOf("patch").payload.ops, [{ op: "replace", path: "/label", value: "taps" }])
    }

    function test_replies_data() {
        return [
            { tag: "object", name: "echo", payload: { x: 1 }, reply: { status: "ok", response: { x: 1 } } },
            { tag: "error", name: "fail", payload: {}, reply: { status: "error", response: { reason: "nope" } } },
            { tag: "unknown", name: "nope", payload: {}, reply: { status: "error", response: { reason: "unknown command" } } },
        ]
    }
    function test_replies(data) {
        const m = mount("Qml.Counter", "r")
        const ref = client.send(m.joinRef, m.topic, "command", { store_id: [], name: data.name, payload: data.payload })
        tryVerify(() => replyTo(ref) !== null)
        compare(replyTo(ref).payload, data.reply)
    }

    function test_throwCrashesChannel() {
        const m = mount("Qml.Counter", "t")
        ignoreWarning(/threw/)
        client.send(m.joinRef, m.topic, "command", { store_id: [], name: "boom", payload: {} })
        tryVerify(() => lastOf("phx_error") !== null)
        compare(server.mountedRootCount, 0)
    }

    function test_eventsAndStreams() {
        const m = mount("Qml.Counter", "e")
        client.send(m.joinRef, m.topic, "command", { store_id: [], name: "toast", payload: { msg: "hi" } })
        tryVerify(() => patchCount() === 2)
        compare(lastOf("patch").payload.events, [{ store_id: [], name: "toast", payload: { msg: "hi" } }])
        client.send(m.joinRef, m.topic, "command", { store_id: [], name: "line", payload: { key: "k1" } })
        tryVerify(() => patchCount() === 3)
        compare(lastOf("patch").payload.stream_ops,
                [{ op: "insert", stream: "lines", ref: "0", store_id: [], item_key: "k1", at: -1,
                   item: { key: "k1" }, limit: null }])
    }

    function test_render() {
        mount("Qml.Rendered", "x")
        tryVerify(() => patchCount() === 1)
        compare(lastOf("patch").payload.ops[0].value, {
            __musubi_store_id__: [], doubled: 4, lines: { __musubi_stream__: "lines" },
            stats: { __musubi_async__: true, status: "ok", result: { total: 1 }, reason: null } })
    }

    function test_refused() {
        const m = mount("Qml.Refused", "x")
        compare(m.reply.payload, { status: "error", response: { reason: "not_found" } })
    }

    function test_faults() {
        const m = mount("Qml.Counter", "f")
        server.skipNextVersion()
        client.send(m.joinRef, m.topic, "command", { store_id: [], name: "increment", payload: {} })
        tryVerify(() => patchCount() === 2)
        compare(lastOf("patch").payload.base_version, 2)

        verify(server.sendEnvelope("Qml.Counter:f", { type: "patch", bogus: true }))
        tryVerify(() => patchCount() === 3)
        compare(lastOf("patch").payload, { type: "patch", bogus: true })

        verify(server.closeChannel(m.topic, MusubiTestServer.Error))
        tryVerify(() => lastOf("phx_error") !== null)
        compare(server.mountedRootCount, 0)

        server.dropConnections()
        tryVerify(() => !client.connected)
    }
    function test_moreFaults() {
        const m = mount("Qml.Counter", "g")
        tryVerify(() => patchCount() === 1)

        // Heartbeats unanswered, then answered again.
        server.answersHeartbeats = false
        const hb = client.send("", "phoenix", "heartbeat", {})
        const probe = client.send("1", "nowhere", "x", {})
        tryVerify(() => replyTo(probe) !== null)
        compare(replyTo(hb), null)
        server.answersHeartbeats = true

        // A withheld reply: the patch still comes.
        server.withholdNextReply("command")
        const withheld = client.send(m.joinRef, m.topic, "command", { store_id: [], name: "increment", payload: {} })
        tryVerify(() => patchCount() === 2)
        compare(replyTo(withheld), null)

        // A delayed reply: the reply, then its patch, after the delay.
        server.delayNextReply(100, "")
        const delayed = client.send(m.joinRef, m.topic, "command", { store_id: [], name: "increment", payload: {} })
        tryVerify(() => patchCount() === 3)
        verify(replyTo(delayed) !== null)
        const events = client.messages.map(x => x.event === "phx_reply" && x.ref === delayed ? "reply" : x.event)
        verify(events.indexOf("reply") < events.lastIndexOf("patch"))

        // Raw frames reach the client as they are.
        server.sendRawText('[null,null,"raw","hello",{"a":1}]')
        tryVerify(() => lastOf("hello") !== null)
        compare(lastOf("hello").payload, { a: 1 })

        // Drop right after the next command's reply.
        server.dropAfterNextCommand()
        const last = client.send(m.joinRef, m.topic, "command", { store_id: [], name: "increment", payload: {} })
        tryVerify(() => !client.connected)
        verify(replyTo(last) !== null)
        compare(patchCount(), 3)
    }
}
