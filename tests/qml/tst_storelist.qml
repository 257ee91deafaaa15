// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Musubi
import MusubiTestFixture

// A field holding a list of child stores is a MusubiStoreListModel: count, get(),
// storeIdAt(), indexOfStoreId() from QML, and a ListView over it keeps the delegates of
// the rows an envelope does not touch (added, removed, reordered rows).
TestCase {
    id: testCase
    name: "StoreList"
    when: windowShown

    MusubiConnection {
        id: conn
        url: Fixture.url
    }
    MusubiRoot {
        id: root
        connection: conn
        module: "Test.List"
        instanceId: "storelist"
    }
    // Store fields are dynamic: read them through `var` (qmllint knows no field).
    readonly property var rootStore: root.store
    readonly property var rows: rootStore ? rootStore.rows : null

    ListView {
        id: view
        width: 200
        height: 400
        model: testCase.rows
        delegate: Item {
            required property var store
            required property var storeId
            readonly property string label: store ? store.label : ""
            width: 200
            height: 20
        }
    }

    function labels() {
        const rows = testCase.rows;
        const out = [];
        for (let i = 0; i < rows.count; ++i)
            out.push(rows.get(i).label);
        return out.join(",");
    }

    function test_rowsFromQml() {
        tryCompare(root, "status", MusubiRoot.Live);
        const rows = testCase.rows;
        verify(rows instanceof MusubiStoreListModel);
        compare(rows.count, 3);
        compare(labels(), "a,b,c");
        compare(rows.storeIdAt(1), ["rows", "b"]);
        compare(rows.indexOfStoreId(["rows", "c"]), 2);
        compare(rows.indexOfStoreId(["rows", "zz"]), -1);
        compare(rows.get(3), null);
        compare(rows.name, "rows");

        tryCompare(view, "count", 3);
        const a = view.itemAtIndex(0);
        const b = view.itemAtIndex(1);
        const c = view.itemAtIndex(2);
        compare(a.label, "a");
        compare(b.storeId, ["rows", "b"]);

        // Added: one row more, the other delegates are the same objects.
        testCase.rootStore.dispatch("add", { id: "d" });
        tryCompare(rows, "count", 4);
        tryCompare(view, "count", 4);
        compare(labels(), "a,b,c,d");
        // The view applies model changes when it lays out: wait for that, not for a rebuild.
        tryVerify(() => view.itemAtIndex(0) === a && view.itemAtIndex(1) === b
                  && view.itemAtIndex(2) === c);

        // Reordered: rows move, delegates travel with them.
        testCase.rootStore.dispatch("reverse");
        tryVerify(() => labels() === "d,c,b,a");
        tryVerify(() => view.itemAtIndex(3) === a && view.itemAtIndex(2) === b
                  && view.itemAtIndex(1) === c);

        // A row's own field: only its store changes.
        testCase.rootStore.dispatch("rename", { id: "b", label: "B" });
        tryCompare(b, "label", "B");
        compare(view.itemAtIndex(2), b);

        // Removed: its delegate goes, the others stay.
        testCase.rootStore.dispatch("remove", { id: "c" });
        tryCompare(rows, "count", 3);
        tryCompare(view, "count", 3);
        compare(labels(), "d,B,a");
        tryVerify(() => view.itemAtIndex(1) === b && view.itemAtIndex(2) === a);
    }
}
