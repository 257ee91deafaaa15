// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Musubi
import Musubi.Inspector

// Run by the `qml_install` test against an installed prefix only: the
// inspector module loads next to the `Musubi` module.
TestCase {
    id: testCase
    name: "InstalledInspector"
    width: 400
    height: 300

    MusubiConnection {
        id: conn
        active: false
    }
    MusubiInspector {
        id: inspector
        anchors.fill: parent
        connection: conn
    }

    readonly property var connectionState: inspector.session.connectionState

    function test_loads() {
        compare(inspector.session.connection, conn);
        compare(inspector.session.roots.count, 0);
        compare(testCase.connectionState.status, "closed");
        compare(inspector.session.envelopes.capacity, 1000);
    }
}
