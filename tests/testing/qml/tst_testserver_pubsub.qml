// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Musubi.Testing
import MusubiTestingTests

// The PubSub from QML: a root store type whose mounts subscribe to a room and
// hear each other, two raw clients on their own sockets.
TestCase {
    id: testCase
    name: "TestServerPubSub"

    MusubiTestServer {
        id: server

        MusubiTestRootStore {
            module: "Qml.Room"
            initialState: ({ heard: [] })
            commands: ({
                say: function (payload, store) {
                    return { recipients: store.broadcastFrom("room:" + store.mountParams.room, payload.text) }
                }
            })
            onMounted: store => {
                store.subscribe("room:" + store.mountParams.room)
                store.infoReceived.connect((topic, message) => {
                    store.setValue("heard", store.value("heard").concat([topic + " " + message]))
                })
            }
        }
    }

    RawClient { id: ada }
    RawClient { id: bob }

    function patchHeard(client, text) {
        for (const m of client.messages)
            if (m.event === "patch" && JSON.stringify(m.payload.ops).indexOf(text) >= 0)
                return true
        return false
    }
    function replyTo(client, ref) {
        for (const m of client.messages)
            if (m.event === "phx_reply" && m.ref === ref)
                return m
        return null
    }
    function mount(client, id, room) {
        client.clear()
        client.open(server.url, {})
        tryVerify(() => client.connected)
        const topic = "musubi:connection:Qml.Room:" + id
        const ref = client.join(topic, { module: "Qml.Room", id: id, params: { room: room } })
        tryVerify(() => replyTo(client, ref) !== null)
        return { topic: topic, joinRef: ref }
    }

    function cleanup() {
        ada.close()
        bob.close()
        tryVerify(() => server.connectionCount === 0)
    }

    function test_roomMatesHearEachOther() {
        const a = mount(ada, "a", "r1")
        mount(bob, "b", "r1")
        compare(server.subscriberCount("room:r1"), 2)

        const ref = ada.send(a.joinRef, a.topic, "command", { store_id: [], name: "say", payload: { text: "hi" } })
        tryVerify(() => replyTo(ada, ref) !== null)
        compare(replyTo(ada, ref).payload, { status: "ok", response: { recipients: 1 } })
        tryVerify(() => patchHeard(bob, "room:r1 hi"))
        compare(server.mountedRoot("Qml.Room:b").value("heard"), ["room:r1 hi"])
        compare(server.mountedRoot("Qml.Room:a").value("heard"), [])

        // From the server object too.
        compare(server.broadcast("room:r1", "all"), 2)
        tryVerify(() => patchHeard(ada, "room:r1 all"))
        tryVerify(() => patchHeard(bob, "room:r1 all"))
    }

    function test_otherRoomsHearNothing() {
        const a = mount(ada, "a", "r1")
        mount(bob, "b", "r2")
        const ref = ada.send(a.joinRef, a.topic, "command", { store_id: [], name: "say", payload: { text: "hi" } })
        tryVerify(() => replyTo(ada, ref) !== null)
        compare(replyTo(ada, ref).payload.response.recipients, 0)
        compare(server.broadcast("room:r2", "only bob"), 1)
        tryVerify(() => patchHeard(bob, "room:r2 only bob"))
        compare(server.mountedRoot("Qml.Room:b").value("heard"), ["room:r2 only bob"])
    }
}
