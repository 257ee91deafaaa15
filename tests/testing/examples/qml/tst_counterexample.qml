// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT

// Example from docs/testing.md: a QML TestCase that serves a store with
// Musubi.Testing and drives it through the Musubi client types.
import QtQuick
import QtTest
import Musubi
import Musubi.Testing

TestCase {
    name: "CounterExample"

    MusubiTestServer {
        id: server
        MusubiTestRootStore {
            module: "Demo.CounterStore"
            initialState: ({ count: 0 })
            commands: ({
                increment: (payload, store) => {
                    store.setValue("count", store.value("count") + (payload.amount || 1))
                }
            })
        }
    }

    MusubiConnection {
        id: connection
        url: server.url
    }

    MusubiRoot {
        id: root
        connection: connection
        module: "Demo.CounterStore"
        instanceId: "main"
    }

    function test_increment() {
        root.mount()
        tryCompare(root, "status", MusubiRoot.Live)
        tryCompare(root.store, "count", 0)
        root.store.dispatch("increment", { amount: 2 })
        tryCompare(root.store, "count", 2)
    }

    function test_serverSideChange() {
        tryCompare(root, "status", MusubiRoot.Live)
        server.mountedRoot("Demo.CounterStore:main").setValue("count", 10)
        tryCompare(root.store, "count", 10)
    }
}
