// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Musubi
import MusubiTestFixture

// The module's types and enums, without a live mount where possible.
TestCase {
    id: testCase
    name: "Types"

    Component {
        id: connectionComponent
        MusubiConnection {}
    }
    Component {
        id: rootComponent
        MusubiRoot {}
    }
    Component {
        id: commandComponent
        MusubiCommand {}
    }
    Component {
        id: bannerComponent
        MusubiStatusBanner {}
    }

    function cleanup() {
        Fixture.refuseConnections = false;
    }

    function test_enums() {
        compare(MusubiConnection.Connecting, 0);
        verify(MusubiConnection.Connected !== MusubiConnection.Reconnecting);
        verify(MusubiConnection.Closed !== MusubiConnection.Connected);
        compare(MusubiConnection.Auto, 0);
        verify(MusubiConnection.PerRootChannel !== MusubiConnection.SharedChannel);
        compare(MusubiRoot.Unmounted, 0);
        verify(MusubiRoot.Live !== MusubiRoot.Connecting);
        verify(MusubiRoot.Reconnecting !== MusubiRoot.Failed);
    }

    function test_defaults() {
        const connection = createTemporaryObject(connectionComponent, testCase, { active: false });
        verify(connection);
        compare(connection.status, MusubiConnection.Closed);
        compare(connection.protocol, MusubiConnection.Auto);
        const root = createTemporaryObject(rootComponent, testCase);
        verify(root);
        verify(root.active);
        compare(root.status, MusubiRoot.Unmounted);
        compare(root.store, null);
        compare(root.version, 0);
        // No connection, module or instance id: nothing to mount.
        root.module = "Test.Counter";
        root.instanceId = "nowhere";
        wait(0);
        compare(root.status, MusubiRoot.Unmounted);
        compare(root.rootId, "Test.Counter:nowhere");
    }

    function test_inactiveConnectionKeepsRootsUnmounted() {
        const connection = createTemporaryObject(connectionComponent, testCase,
                                                 { active: false, url: Fixture.url });
        const root = createTemporaryObject(rootComponent, testCase,
                                           { connection: connection, module: "Test.Counter", instanceId: "idle" });
        wait(50);
        compare(root.status, MusubiRoot.Unmounted);
        compare(connection.status, MusubiConnection.Closed);
        connection.active = true;
        tryCompare(root, "status", MusubiRoot.Live);
        compare(connection.status, MusubiConnection.Connected);
        verify(connection.activeProtocol !== MusubiConnection.Auto);
        connection.active = false;
        tryCompare(connection, "status", MusubiConnection.Closed);
        tryCompare(root, "status", MusubiRoot.Unmounted);
    }

    function test_settingsDriveTheConnection() {
        const connection = createTemporaryObject(connectionComponent, testCase);
        const root = createTemporaryObject(rootComponent, testCase,
                                           { connection: connection, module: "Test.Counter", instanceId: "settings" });
        wait(50);
        compare(connection.status, MusubiConnection.Closed, "no URL, no socket");
        compare(root.status, MusubiRoot.Unmounted);
        connection.url = Fixture.url;
        tryCompare(root, "status", MusubiRoot.Live);
        const store = root.store;
        const mounts = Fixture.mountCount;
        // New connect params: the socket reopens and the root mounts again,
        // keeping its store (and last good state) meanwhile.
        connection.params = { token: "t2" };
        connection.protocol = MusubiConnection.PerRootChannel;
        tryCompare(connection, "activeProtocol", MusubiConnection.PerRootChannel);
        tryCompare(root, "status", MusubiRoot.Live);
        tryCompare(Fixture, "mountCount", mounts + 1);
        compare(root.store, store);
        compare(root.store.count, 0);
    }

    function test_commandWithoutStoreFails() {
        const command = createTemporaryObject(commandComponent, testCase, { name: "increment" });
        let failure = null;
        command.failed.connect(error => failure = error);
        command.dispatch({});
        tryVerify(() => failure !== null);
        compare(failure.kind, MusubiCommandError.NotConnected);
        compare(command.error.kind, MusubiCommandError.NotConnected);
        compare(command.pending, false);
        command.reset();
        compare(command.error, null);
    }

    function test_bannerConnecting() {
        Fixture.refuseConnections = true;
        const connection = createTemporaryObject(connectionComponent, testCase, { url: Fixture.url });
        const banner = createTemporaryObject(bannerComponent, testCase, { connection: connection });
        tryCompare(connection, "status", MusubiConnection.Connecting);
        compare(banner.phase, MusubiStatusBanner.Connecting);
        verify(banner.shown);
        verify(banner.implicitHeight > 0);
        compare(banner.text, banner.connectingText);
        Fixture.refuseConnections = false;
        tryCompare(connection, "status", MusubiConnection.Connected, 15000);
        compare(banner.phase, MusubiStatusBanner.Live);
        verify(!banner.shown);
        compare(banner.implicitHeight, 0);
    }

    function test_bannerIdle() {
        const banner = createTemporaryObject(bannerComponent, testCase);
        compare(banner.phase, MusubiStatusBanner.Idle);
        compare(banner.text, "");
        compare(banner.visible, false);
        compare(banner.implicitHeight, 0);
    }
}
