// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Musubi
import MusubiTestFixture

// Push events reach QML after the state of their envelope.
TestCase {
    id: testCase
    name: "Events"

    MusubiConnection {
        id: conn
        url: Fixture.url
    }
    MusubiRoot {
        id: root
        connection: conn
        module: "Test.Counter"
        instanceId: "events"
        onEventReceived: (storeId, name, payload) => {
            record.rootEvents.push({ storeId: storeId, name: name, payload: payload,
                                     lastToast: view.store.lastToast });
        }
    }
    QtObject {
        id: view
        readonly property var store: root.store
        readonly property var cart: view.store ? view.store.cart : null
        // What bindings show when the handlers run.
        readonly property var lastToast: view.store ? view.store.lastToast : null
        readonly property var total: view.cart ? view.cart.total : null
    }
    QtObject {
        id: record
        property var rootEvents: []
        property var toasts: []
        property var added: []
        property var all: []
        property int disabled: 0
    }

    MusubiEventHandler {
        root: root
        name: "toast"
        onEventReceived: (storeId, name, payload) => record.toasts.push({ storeId: storeId, payload: payload, binding: view.lastToast })
    }
    MusubiEventHandler {
        store: view.cart
        name: "added"
        onEventReceived: (storeId, name, payload) => record.added.push({ storeId: storeId, payload: payload, binding: view.total })
    }
    MusubiEventHandler {
        id: disabledHandler
        root: root
        name: "ping"
        enabled: false
        onEventReceived: record.disabled++
    }
    MusubiEventHandler {
        root: root
        storeId: ["cart"]
        onEventReceived: (storeId, name, payload) => record.all.push(name)
    }

    function test_eventsFireAfterState() {
        tryCompare(root, "status", MusubiRoot.Live);
        view.store.dispatch("toast", { msg: "saved" });
        tryCompare(record.toasts, "length", 1);
        compare(record.toasts[0].payload.msg, "saved");
        compare(record.toasts[0].binding, "saved", "the state of the envelope is visible");
        tryVerify(() => record.rootEvents.some(e => e.name === "toast"));
        const event = record.rootEvents.find(e => e.name === "toast");
        compare(event.storeId, []);
        compare(event.payload.msg, "saved");
        compare(event.lastToast, "saved");

        view.cart.dispatch("cartAdd", { price: 5 });
        tryCompare(record.added, "length", 1);
        compare(record.added[0].payload.total, 5);
        compare(record.added[0].binding, 5);
        tryCompare(record.all, "length", 1);
        compare(record.all[0], "added");
        // The root-level handler only took the root store's events.
        compare(record.toasts.length, 1);
    }

    function test_serverInitiatedEvent() {
        tryCompare(root, "status", MusubiRoot.Live);
        const before = record.rootEvents.length;
        Fixture.pushEvent(root.rootId, "ping", { n: 1 });
        tryVerify(() => record.rootEvents.length === before + 1);
        compare(record.rootEvents[before].name, "ping");
        compare(record.rootEvents[before].payload.n, 1);
        compare(record.disabled, 0, "a disabled handler stays silent");
    }
}
