// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Musubi
import MusubiTestFixture

// Authentication: a paramsProvider asked before every connection attempt, a
// token that expires (HTTP 401 on the reconnect: status Unauthorized, shown by
// MusubiStatusBanner, no retry) and open() with the refreshed token.
TestCase {
    id: testCase
    name: "Auth"

    property string token: "t1"
    property int provided: 0

    Component {
        id: connectionComponent
        MusubiConnection {
            paramsProvider: function() {
                testCase.provided += 1;
                return { token: testCase.token };
            }
        }
    }
    Component {
        id: plainConnectionComponent
        MusubiConnection {}
    }
    Component {
        id: rootComponent
        MusubiRoot {
            module: "Test.Counter"
        }
    }
    Component {
        id: bannerComponent
        MusubiStatusBanner {}
    }

    function init() {
        testCase.token = "t1";
        testCase.provided = 0;
        Fixture.requiredToken = "t1";
    }

    function cleanup() {
        Fixture.requiredToken = "";
    }

    function test_expiredTokenRefreshedOnOpen() {
        const conn = createTemporaryObject(connectionComponent, testCase,
                                           { url: Fixture.url, params: { token: "static", client: "qml" } });
        const root = createTemporaryObject(rootComponent, testCase,
                                           { connection: conn, instanceId: "auth-1" });
        const banner = createTemporaryObject(bannerComponent, testCase, { connection: conn, root: root });
        tryCompare(root, "status", MusubiRoot.Live);
        compare(testCase.provided, 1);
        compare(banner.phase, MusubiStatusBanner.Live);
        root.store.dispatch("increment", { amount: 3 });
        tryCompare(root.store, "count", 3);
        const store = root.store;

        let errors = [];
        conn.errorOccurred.connect(message => errors.push(message));
        Fixture.requiredToken = "t2"; // the server no longer accepts t1
        Fixture.dropConnections();
        tryCompare(conn, "status", MusubiConnection.Unauthorized, 10000);
        compare(conn.errorString, "connection refused: HTTP 401 Unauthorized");
        compare(errors.filter(e => e.indexOf("HTTP 401") >= 0).length, 1);
        compare(banner.phase, MusubiStatusBanner.Unauthorized);
        verify(banner.shown);
        verify(banner.text.indexOf("HTTP 401 Unauthorized") >= 0, banner.text);
        compare(store.count, 3, "the last good value stays");
        // (That no retry follows is proven on virtual time in tst_phoenixsocket
        // and over loopback in tst_faults.)
        const attempts = testCase.provided;

        testCase.token = "t2";
        conn.open();
        tryCompare(root, "status", MusubiRoot.Live, 10000);
        compare(conn.status, MusubiConnection.Connected);
        compare(testCase.provided, attempts + 1);
        compare(root.store.count, 3);
        compare(banner.phase, MusubiStatusBanner.Live);
        compare(banner.shown, false);
    }

    function test_badProviderFallsBackToStaticParams_data() {
        return [
            { tag: "not a function", provider: 42, warning: /paramsProvider is not a function/ },
            { tag: "throws", provider: function() { throw new Error("boom"); },
              warning: /paramsProvider threw: Error: boom/ },
            { tag: "returns a string", provider: function() { return "t2"; },
              warning: /paramsProvider returned t2 instead of an object/ },
        ];
    }

    function test_badProviderFallsBackToStaticParams(data) {
        ignoreWarning(data.warning);
        const conn = createTemporaryObject(plainConnectionComponent, testCase,
                                           { url: Fixture.url, params: { token: "t1" },
                                             paramsProvider: data.provider });
        const root = createTemporaryObject(rootComponent, testCase,
                                           { connection: conn, instanceId: "auth-2" });
        tryCompare(root, "status", MusubiRoot.Live);
        compare(conn.status, MusubiConnection.Connected);
    }
}
