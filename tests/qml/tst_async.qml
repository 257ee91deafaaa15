// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Musubi
import MusubiTestFixture

// Async fields: {status, data, error} through loading, ok and failed; status is a
// MusubiAsync enum value, the wire strings never reach QML.
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
        readonly property int status: view.profile ? view.profile.status : -1
        property var statuses: []
        onStatusChanged: view.statuses.push(view.status)
    }

    function test_transitions() {
        tryCompare(root, "status", MusubiRoot.Live);
        compare(view.status, MusubiAsync.Loading);
        verify(view.profile.status === MusubiAsync.Loading);
        compare(view.profile.data, null);
        compare(view.profile.error, null);
        compare(Object.keys(view.profile).sort(), ["data", "error", "status"]);

        Fixture.setAsync(root.rootId, "profile", "ok", { name: "Ada" });
        tryCompare(view, "status", MusubiAsync.Ok);
        verify(view.profile.status === MusubiAsync.Ok);
        compare(view.profile.data.name, "Ada");
        compare(view.profile.error, null);

        Fixture.setAsync(root.rootId, "profile", "loading", null);
        tryCompare(view, "status", MusubiAsync.Loading);
        compare(view.profile.data.name, "Ada", "loading keeps the previous value");

        Fixture.setAsync(root.rootId, "profile", "failed", { kind: "error", value: "nope" });
        tryCompare(view, "status", MusubiAsync.Failed);
        verify(view.profile.status === MusubiAsync.Failed);
        verify(view.profile.status !== MusubiAsync.Ok);
        compare(view.profile.error.kind, "error");
        compare(view.profile.error.value, "nope");
        compare(view.profile.data.name, "Ada", "failed keeps the previous value");

        compare(view.statuses.slice(-4),
                [MusubiAsync.Loading, MusubiAsync.Ok, MusubiAsync.Loading, MusubiAsync.Failed]);
        // The enum values are distinct numbers.
        compare(new Set([MusubiAsync.Loading, MusubiAsync.Ok, MusubiAsync.Failed]).size, 3);
    }
}
