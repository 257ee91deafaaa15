// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Musubi
import MusubiTestFixture

// MusubiRoot and MusubiStore over a real loopback WebSocket.
TestCase {
    id: testCase
    name: "Root"

    MusubiConnection {
        id: conn
        url: Fixture.url
    }

    Component {
        id: rootComponent
        MusubiRoot {
            module: "Test.Counter"
        }
    }

    // The connection declared inline, as a property value of its root.
    Component {
        id: inlineConnectionComponent
        MusubiRoot {
            module: "Test.Counter"
            instanceId: "inline"
            connection: MusubiConnection {
                url: Fixture.url
            }
        }
    }

    Component {
        id: connectionComponent
        MusubiConnection {}
    }
    Component {
        id: commandComponent
        MusubiCommand {}
    }
    Component {
        id: handlerComponent
        MusubiEventHandler {}
    }
    Component {
        id: bannerComponent
        MusubiStatusBanner {}
    }

    // A root with bindings whose evaluations are counted.
    MusubiRoot {
        id: probeRoot
        connection: conn
        module: "Test.Counter"
        instanceId: "probe"
    }
    QtObject {
        id: probe
        // Counts live in a JS object: bumping them is not a property write, so
        // the counting itself never triggers a binding.
        property var evaluations: ({ count: 0, label: 0, cart: 0, total: 0 })
        readonly property var store: probeRoot.store
        readonly property var count: {
            probe.evaluations.count++;
            return probe.store ? probe.store.count : undefined;
        }
        readonly property var label: {
            probe.evaluations.label++;
            return probe.store ? probe.store.label : undefined;
        }
        readonly property var cart: {
            probe.evaluations.cart++;
            return probe.store ? probe.store.cart : undefined;
        }
        readonly property var total: {
            probe.evaluations.total++;
            return probe.cart ? probe.cart.total : undefined;
        }
        function reset() {
            // Mutate, never reassign: reassigning would notify every binding.
            for (const key in probe.evaluations)
                probe.evaluations[key] = 0;
        }
    }

    function mount(instanceId, params) {
        const root = createTemporaryObject(rootComponent, testCase,
                                           { connection: conn, instanceId: instanceId, params: params || {} });
        verify(root);
        tryCompare(root, "status", MusubiRoot.Live);
        verify(root.store);
        return root;
    }

    // Both wire profiles (docs/protocol.md §0) look the same from QML.
    function test_mountOverEachProtocol_data() {
        return [
            { tag: "shared", protocol: MusubiConnection.SharedChannel, expected: MusubiConnection.SharedChannel },
            { tag: "per-root", protocol: MusubiConnection.PerRootChannel, expected: MusubiConnection.PerRootChannel },
            { tag: "auto", protocol: MusubiConnection.Auto, expected: MusubiConnection.SharedChannel },
        ];
    }

    function test_mountOverEachProtocol(data) {
        const connection = createTemporaryObject(connectionComponent, testCase,
                                                 { url: Fixture.url, protocol: data.protocol });
        const root = createTemporaryObject(rootComponent, testCase,
                                           { connection: connection, instanceId: "protocol-" + data.tag });
        tryCompare(root, "status", MusubiRoot.Live);
        compare(connection.status, MusubiConnection.Connected);
        compare(connection.activeProtocol, data.expected);
        Fixture.setValue(root.rootId, [], "count", 4);
        tryCompare(root.store, "count", 4);
        let reply = null;
        root.store.dispatch("increment", { amount: 1 }).then(r => reply = r);
        tryVerify(() => reply !== null);
        compare(reply.count, 5);
        tryCompare(root.store, "count", 5);
        root.active = false;
        tryVerify(() => !Fixture.isMounted(root.rootId));
    }

    function test_rootFieldsUpdate() {
        const root = mount("fields");
        const store = root.store;
        compare(store.count, 0);
        compare(store.label, "hello");
        compare(root.version, 1);
        compare(root.rootId, "Test.Counter:fields");
        compare(store.storeId, []);
        Fixture.setValue(root.rootId, [], "count", 3);
        tryCompare(store, "count", 3);
        compare(root.store, store, "the root store keeps its identity");
        verify(root.version > 1);
    }

    function test_childStoreFieldsUpdate() {
        const root = mount("child");
        const cart = root.store.cart;
        verify(cart);
        compare(cart.storeId, ["cart"]);
        compare(cart.total, 0);
        Fixture.setValue(root.rootId, ["cart"], "total", 12);
        tryCompare(cart, "total", 12);
        compare(root.store.cart, cart, "the child store keeps its identity");
    }

    function test_bindingOnUnchangedKeyIsNotReevaluated() {
        tryCompare(probeRoot, "status", MusubiRoot.Live);
        compare(probe.count, 0);
        compare(probe.label, "hello");
        compare(probe.total, 0);

        probe.reset();
        Fixture.setValue(probeRoot.rootId, [], "count", 5);
        tryCompare(probe, "count", 5);
        compare(probe.evaluations.count, 1, "count re-evaluated once");
        compare(probe.evaluations.label, 0, "label did not change");
        compare(probe.evaluations.cart, 0, "cart did not change");
        compare(probe.evaluations.total, 0, "total did not change");

        // A change deep in the child store touches neither the parent's keys
        // nor the child object's identity.
        probe.reset();
        Fixture.setValue(probeRoot.rootId, ["cart"], "total", 9);
        tryCompare(probe, "total", 9);
        compare(probe.evaluations.total, 1);
        compare(probe.evaluations.cart, 0);
        compare(probe.evaluations.count, 0);
        compare(probe.evaluations.label, 0);
    }

    function test_vanishedChildStoreBecomesNull() {
        const root = mount("vanish");
        const store = root.store;
        verify(store.cart);
        store.dispatch("showCart", { show: false });
        tryVerify(() => !store.cart);
        store.dispatch("showCart", { show: true });
        tryVerify(() => store.cart && store.cart.total === 0);
    }

    function test_wrappersLetGoOfAVanishedStore() {
        const root = mount("wrappers");
        const command = createTemporaryObject(commandComponent, testCase,
                                              { store: root.store.cart, name: "cartAdd" });
        const handler = createTemporaryObject(handlerComponent, testCase, { store: root.store.cart });
        verify(command.store);
        verify(handler.store);
        root.store.dispatch("showCart", { show: false });
        tryVerify(() => command.store === null);
        tryVerify(() => handler.store === null);
        command.dispatch({ price: 1 });
        tryVerify(() => command.error !== null);
        compare(command.error.kind, MusubiCommandError.NotConnected);
    }

    function test_refusedMountFails() {
        const root = createTemporaryObject(rootComponent, testCase,
                                           { connection: conn, module: "Test.Missing", instanceId: "x" });
        const banner = createTemporaryObject(bannerComponent, testCase, { root: root });
        tryCompare(root, "status", MusubiRoot.Failed);
        verify(root.errorString.length > 0);
        compare(root.errorReply.reason, "unknown root", "the server's error response");
        compare(root.store, null);
        compare(root.ready, false);
        compare(banner.phase, MusubiStatusBanner.Failed);
        verify(banner.text.indexOf(root.errorString) >= 0);
    }

    // Stores, child stores and stream models belong to C++: the JS garbage
    // collector never takes them, even when QML held the only JS reference.
    function test_storesSurviveGarbageCollection() {
        const root = mount("gc");
        let store = root.store;
        let cart = store.cart;
        let messages = store.messages;
        verify(cart);
        verify(messages);
        store = null;
        cart = null;
        messages = null;
        gc();
        wait(0);
        gc();
        verify(root.store);
        compare(root.store.count, 0);
        compare(root.store.cart.total, 0);
        compare(root.store.messages.count, 0);
        Fixture.setValue(root.rootId, ["cart"], "total", 3);
        tryVerify(() => root.store.cart.total === 3);
    }

    function test_writesAreRefused() {
        const root = mount("readonly");
        const store = root.store;
        ignoreWarning(new RegExp(".*(dispatch|MusubiCommand).*"));
        store.count = 99;
        compare(store.count, 0);
    }

    function test_dispatchPromise() {
        const root = mount("promise");
        let reply = null;
        root.store.dispatch("increment", { amount: 2 }).then(r => reply = r);
        tryVerify(() => reply !== null);
        compare(reply.count, 2);
        tryCompare(root.store, "count", 2);

        let rejection = null;
        root.store.dispatch("fail").then(() => {}, error => rejection = error);
        tryVerify(() => rejection !== null);
        compare(rejection.kind, MusubiCommandError.Failed);
        compare(rejection.code, "nope");
        compare(rejection.command, "fail");
    }

    function test_dispatchCallbacks() {
        const root = mount("callbacks");
        let reply = null;
        let error = null;
        root.store.cart.dispatch("cartAdd", { price: 4 }, r => reply = r, e => error = e);
        tryVerify(() => reply !== null);
        compare(reply.total, 4);
        compare(error, null);
        root.store.dispatch("nope", {}, r => reply = r, e => error = e);
        tryVerify(() => error !== null);
        compare(error.kind, MusubiCommandError.Failed);
        compare(error.code, "unknown command");
    }

    function test_paramsChangeRemounts() {
        Fixture.resetDatabase();
        const root = mount("params", { count: 1 });
        compare(root.store.count, 1);
        compare(Fixture.mountParams(root.rootId).count, 1);
        const mounts = Fixture.mountCount;
        const unmounts = Fixture.unmountCount;
        root.params = { count: 7 };
        tryVerify(() => root.store && root.store.count === 7);
        compare(root.status, MusubiRoot.Live);
        compare(Fixture.mountParams(root.rootId).count, 7);
        compare(Fixture.mountCount, mounts + 1);
        compare(Fixture.unmountCount, unmounts + 1);
        // The new mount's stores dispatch too.
        let reply = null;
        root.store.dispatch("increment", { amount: 1 }).then(r => reply = r);
        tryVerify(() => reply !== null);
        compare(reply.count, 8);
    }

    function test_instanceIdChangeRemounts() {
        const root = mount("first");
        root.instanceId = "second";
        tryVerify(() => Fixture.isMounted("Test.Counter:second"));
        tryVerify(() => !Fixture.isMounted("Test.Counter:first"));
        tryCompare(root, "status", MusubiRoot.Live);
        compare(root.rootId, "Test.Counter:second");
    }

    function test_identityChangesCoalesce() {
        const root = mount("coalesce-a");
        const mounts = Fixture.mountCount;
        const unmounts = Fixture.unmountCount;
        root.instanceId = "coalesce-b";
        root.params = { count: 2 };
        tryVerify(() => Fixture.isMounted("Test.Counter:coalesce-b"));
        tryCompare(root, "status", MusubiRoot.Live);
        wait(50);
        compare(Fixture.mountCount, mounts + 1, "one remount for two changes");
        compare(Fixture.unmountCount, unmounts + 1);
        verify(!Fixture.isMounted("Test.Counter:coalesce-a"));
        compare(root.store.count, 2);
    }

    function test_connectionChangeRemounts() {
        const other = createTemporaryObject(connectionComponent, testCase, { url: Fixture.url });
        const root = mount("moving");
        const unmounts = Fixture.unmountCount;
        root.connection = other;
        tryVerify(() => Fixture.unmountCount === unmounts + 1);
        tryCompare(root, "status", MusubiRoot.Live);
        verify(Fixture.isMounted("Test.Counter:moving"));
        compare(other.status, MusubiConnection.Connected);
    }

    function test_inlineConnection() {
        const root = createTemporaryObject(inlineConnectionComponent, testCase);
        verify(root, "the component compiles and instantiates");
        verify(root.connection, "the inline connection is assigned");
        tryCompare(root, "status", MusubiRoot.Live);
        verify(Fixture.isMounted("Test.Counter:inline"));
    }

    function test_destroyUnmounts() {
        const root = rootComponent.createObject(testCase, { connection: conn, instanceId: "doomed" });
        tryCompare(root, "status", MusubiRoot.Live);
        verify(Fixture.isMounted("Test.Counter:doomed"));
        const unmounts = Fixture.unmountCount;
        root.destroy();
        tryVerify(() => !Fixture.isMounted("Test.Counter:doomed"));
        compare(Fixture.unmountCount, unmounts + 1);
    }

    function test_inactiveUnmounts() {
        const root = mount("toggle");
        root.active = false;
        tryVerify(() => !Fixture.isMounted("Test.Counter:toggle"));
        compare(root.status, MusubiRoot.Unmounted);
        compare(root.store, null);
        root.active = true;
        tryCompare(root, "status", MusubiRoot.Live);
        verify(Fixture.isMounted("Test.Counter:toggle"));
    }

    function test_rootsOfOneIdentityShareAMount() {
        const first = mount("shared");
        const mounts = Fixture.mountCount;
        const second = mount("shared");
        compare(Fixture.mountCount, mounts, "one mount on the wire");
        compare(second.store, first.store);
        first.destroy();
        wait(50);
        verify(Fixture.isMounted("Test.Counter:shared"), "the other holder keeps it");
        second.destroy();
        tryVerify(() => !Fixture.isMounted("Test.Counter:shared"));
    }
}
