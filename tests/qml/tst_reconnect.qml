// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Musubi
import MusubiTestFixture

// A dropped socket: the last good state stays, status says Reconnecting,
// then Live again; MusubiStatusBanner follows. Over both wire profiles.
TestCase {
    id: testCase
    name: "Reconnect"

    Component {
        id: connectionComponent
        MusubiConnection {}
    }
    Component {
        id: rootComponent
        MusubiRoot {
            property var statuses: []
            module: "Test.Counter"
            onStatusChanged: status => statuses.push(status)
        }
    }
    Component {
        id: bannerComponent
        MusubiStatusBanner {}
    }

    function cleanup() {
        Fixture.refuseConnections = false;
    }

    function test_keepsLastGoodStateWhileReconnecting_data() {
        return [
            { tag: "shared", protocol: MusubiConnection.SharedChannel },
            { tag: "per-root", protocol: MusubiConnection.PerRootChannel },
        ];
    }

    function test_keepsLastGoodStateWhileReconnecting(data) {
        const conn = createTemporaryObject(connectionComponent, testCase,
                                           { url: Fixture.url, protocol: data.protocol });
        const root = createTemporaryObject(rootComponent, testCase,
                                           { connection: conn, instanceId: "reconnect-" + data.tag });
        const banner = createTemporaryObject(bannerComponent, testCase, { connection: conn, root: root });
        tryCompare(root, "status", MusubiRoot.Live);
        verify(root.ready);
        compare(banner.phase, MusubiStatusBanner.Live);
        compare(banner.shown, false);
        root.store.dispatch("increment", { amount: 5 });
        tryCompare(root.store, "count", 5);
        const store = root.store;
        root.statuses = [];

        Fixture.refuseConnections = true;
        Fixture.dropConnections();
        tryCompare(root, "status", MusubiRoot.Reconnecting);
        tryCompare(conn, "status", MusubiConnection.Reconnecting);
        compare(root.store, store, "the store object stays");
        compare(store.count, 5, "the last good value stays");
        verify(root.ready, "ready stays true while reconnecting");
        compare(banner.phase, MusubiStatusBanner.Reconnecting);
        verify(banner.shown);
        verify(banner.text.length > 0);

        // Commands while disconnected are refused, never queued.
        let error = null;
        store.dispatch("increment", { amount: 1 }, null, e => error = e);
        tryVerify(() => error !== null);
        compare(error.kind, MusubiCommandError.NotConnected);

        Fixture.refuseConnections = false;
        tryCompare(root, "status", MusubiRoot.Live, 15000);
        compare(conn.status, MusubiConnection.Connected);
        compare(root.store, store);
        compare(store.count, 5);
        compare(root.statuses[0], MusubiRoot.Reconnecting);
        compare(root.statuses[root.statuses.length - 1], MusubiRoot.Live);
        compare(banner.phase, MusubiStatusBanner.Live);
        compare(banner.shown, false);

        // Live again: commands go through and state keeps flowing.
        store.dispatch("increment", { amount: 1 });
        tryCompare(store, "count", 6);
    }
}
