// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Musubi

// Run by the `qml_install` test with qmltestrunner against an installed
// prefix only (no build-tree import path): every type of the module loads.
TestCase {
    id: testCase
    name: "Installed"

    MusubiConnection {
        id: conn
        active: false
    }
    MusubiRoot {
        id: root
        connection: conn
        module: "Any.Store"
        instanceId: "one"
    }
    MusubiCommand {
        id: command
        name: "noop"
    }
    MusubiEventHandler {
        id: handler
        root: root
        name: "toast"
    }
    MusubiStatusBanner {
        id: banner
        connection: conn
        root: root
    }

    function test_typesLoad() {
        compare(conn.status, MusubiConnection.Closed);
        compare(root.status, MusubiRoot.Unmounted);
        compare(root.rootId, "Any.Store:one");
        compare(command.pending, false);
        compare(handler.storeId, []);
        compare(banner.phase, MusubiStatusBanner.Idle);
    }
}
