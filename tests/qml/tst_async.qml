// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Musubi
import MusubiTestFixture

// Async fields: {status, data, error} through loading, ok and failed.
TestCase {
    id: testCase
    name: "Async"

    MusubiConnection {
        id: conn
        url: Fixture.url
    }
    MusubiRoot {
        id: root
        connection: conn
        module: "Test.Counter"
        instanceId: "async"
    }
    QtObject {
        id: view
        readonly property var store: root.store
        readonly property var profile: view.store ? view.store.profile : undefined
        readonly property string status: view.profile ? view.profile.status : ""
        property var statuses: []
        onStatusChanged: view.statuses.push(view.status)
    }

    function test_transitions() {
        tryCompare(root, "status", MusubiRoot.Live);
        compare(view.status, "loading");
        compare(view.profile.data, null);
        compare(view.profile.error, null);

        Fixture.setAsync(root.rootId, "profile", "ok", { name: "Ada" });
        tryCompare(view, "status", "ok");
        compare(view.profile.data.name, "Ada");
        compare(view.profile.error, null);

        Fixture.setAsync(root.rootId, "profile", "loading", null);
        tryCompare(view, "status", "loading");
        compare(view.profile.data.name, "Ada", "loading keeps the previous value");

        Fixture.setAsync(root.rootId, "profile", "failed", { kind: "error", value: "nope" });
        tryCompare(view, "status", "failed");
        compare(view.profile.error.kind, "error");
        compare(view.profile.error.value, "nope");
        compare(view.profile.data.name, "Ada", "failed keeps the previous value");

        compare(view.statuses.slice(-4), ["loading", "ok", "loading", "failed"]);
    }
}
