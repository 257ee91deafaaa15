// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Musubi
import MusubiTestFixture

// A dropped socket: the last good state stays, status says Reconnecting,
// then Live again; MusubiStatusBanner follows.
TestCase {
    id: testCase
    name: "Reconnect"

    MusubiConnection {
        id: conn
        url: Fixture.url
    }
    MusubiRoot {
        id: root
        connection: conn
        module: "Test.Counter"
        instanceId: "reconnect"
    }
    QtObject {
        id: view
        readonly property var store: root.store
        readonly property var count: view.store ? view.store.count : undefined
        property var statuses: []
    }
    Connections {
        target: root
        function onStatusChanged() {
            view.statuses.push(root.status);
        }
    }
    MusubiStatusBanner {
        id: banner
        connection: conn
        root: root
    }

    function cleanup() {
        Fixture.refuseConnections = false;
    }

    function test_keepsLastGoodStateWhileReconnecting() {
        tryCompare(root, "status", MusubiRoot.Live);
        compare(banner.phase, "live");
        compare(banner.shown, false);
        view.store.dispatch("increment", { amount: 5 });
        tryCompare(view, "count", 5);
        const store = root.store;
        view.statuses = [];

        Fixture.refuseConnections = true;
        Fixture.dropConnections();
        tryCompare(root, "status", MusubiRoot.Reconnecting);
        tryCompare(conn, "status", MusubiConnection.Reconnecting);
        compare(view.count, 5, "the last good value stays");
        compare(root.store, store);
        compare(banner.phase, "reconnecting");
        verify(banner.shown);
        verify(banner.text.length > 0);

        Fixture.refuseConnections = false;
        tryCompare(root, "status", MusubiRoot.Live, 15000);
        compare(conn.status, MusubiConnection.Ready);
        compare(view.count, 5);
        compare(view.statuses[0], MusubiRoot.Reconnecting);
        compare(view.statuses[view.statuses.length - 1], MusubiRoot.Live);
        compare(banner.phase, "live");
        compare(banner.shown, false);

        // Live again: commands go through and state keeps flowing.
        view.store.dispatch("increment", { amount: 1 });
        tryCompare(view, "count", 6);
    }
}
