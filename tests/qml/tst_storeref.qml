// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Musubi
import MusubiTestFixture

// MusubiStoreRef follows a store by id: it appears, vanishes and comes back.
TestCase {
    id: testCase
    name: "StoreRef"

    MusubiConnection {
        id: conn
        url: Fixture.url
    }
    MusubiRoot {
        id: root
        connection: conn
        module: "Test.Counter"
        instanceId: "storeref"
    }
    MusubiRoot {
        id: other
        connection: conn
        module: "Test.Counter"
        instanceId: "storeref-other"
        params: ({ count: 9 })
    }
    MusubiStoreRef {
        id: cartRef
        root: root
        storeId: ["cart"]
    }
    MusubiStoreRef {
        id: rootRef
        root: root
    }
    SignalSpy {
        id: existsSpy
        target: cartRef
        signalName: "existsChanged"
    }
    QtObject {
        id: view
        readonly property var cart: cartRef.store
        readonly property var rootStore: rootRef.store
        readonly property var store: root.store
    }

    // The roots go away before the spy at teardown: stop listening first.
    function cleanupTestCase() {
        existsSpy.target = null;
    }

    function init() {
        tryCompare(root, "status", MusubiRoot.Live);
        tryCompare(other, "status", MusubiRoot.Live);
        tryCompare(cartRef, "exists", true);
        existsSpy.clear();
    }

    function test_appearsWithTheInitialPatch() {
        verify(rootRef.exists);
        compare(rootRef.storeId, []);
        verify(view.rootStore === root.store);
        verify(view.cart === view.store.cart);
        compare(view.cart.storeId, ["cart"]);
    }

    function test_vanishesWithAPatch() {
        view.store.dispatch("showCart", { show: false });
        tryCompare(cartRef, "exists", false);
        compare(cartRef.store, null);
        compare(existsSpy.count, 1);
        verify(rootRef.exists, "the root store stays");

        view.store.dispatch("showCart", { show: true });
        tryCompare(cartRef, "exists", true);
        verify(view.cart === view.store.cart);
        compare(existsSpy.count, 2);
    }

    function test_storeIdChanges() {
        cartRef.storeId = ["nowhere"];
        compare(cartRef.exists, false);
        compare(cartRef.store, null);
        cartRef.storeId = ["cart"];
        compare(cartRef.exists, true);
        verify(view.cart === view.store.cart);
    }

    function test_rootChanges() {
        rootRef.root = other;
        verify(rootRef.exists);
        verify(view.rootStore === other.store);
        compare(view.rootStore.count, 9);
        rootRef.root = null;
        compare(rootRef.exists, false);
        compare(rootRef.store, null);
        rootRef.root = root;
        verify(view.rootStore === root.store);
    }

    function test_unmountAndMountAgain() {
        root.active = false;
        tryCompare(cartRef, "exists", false);
        compare(rootRef.exists, false);
        root.active = true;
        tryCompare(cartRef, "exists", true);
        verify(rootRef.exists);
        verify(view.cart === view.store.cart);
    }
}
