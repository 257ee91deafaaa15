// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Musubi
import MusubiTestFixture

// A stream field used directly as a ListView model.
TestCase {
    id: testCase
    name: "Stream"
    width: 200
    height: 400
    visible: true
    when: windowShown

    MusubiConnection {
        id: conn
        url: Fixture.url
    }
    MusubiRoot {
        id: root
        connection: conn
        module: "Test.Counter"
        instanceId: "stream"
    }
    QtObject {
        id: view
        readonly property var store: root.store
        property int countChanges: 0
    }

    ListView {
        id: list
        width: 200
        height: 400
        model: view.store ? view.store.messages : null
        delegate: Text {
            required property string key
            required property var item
            width: 200
            height: 20
            text: key + ": " + item.text
        }
        onCountChanged: view.countChanges++
    }

    SignalSpy {
        id: inserted
        target: list.model
        signalName: "rowsInserted"
    }
    SignalSpy {
        id: removed
        target: list.model
        signalName: "rowsRemoved"
    }
    SignalSpy {
        id: moved
        target: list.model
        signalName: "rowsMoved"
    }
    SignalSpy {
        id: countChanged
        target: list.model
        signalName: "countChanged"
    }
    SignalSpy {
        id: reset
        target: list.model
        signalName: "modelReset"
    }

    function keys() {
        const model = list.model;
        const out = [];
        for (let i = 0; i < model.count; ++i)
            out.push(model.keyAt(i));
        return out;
    }

    function test_rowChangesNeverReset() {
        tryCompare(root, "status", MusubiRoot.Live);
        verify(list.model);
        compare(list.model.name, "messages");
        compare(list.count, 0);
        const spies = [inserted, removed, moved, reset, countChanged];
        spies.forEach(spy => spy.clear());
        view.countChanges = 0;

        Fixture.streamInsert(root.rootId, "messages", "a", { text: "first" }, -1);
        Fixture.streamInsert(root.rootId, "messages", "b", { text: "second" }, -1);
        Fixture.streamInsert(root.rootId, "messages", "c", { text: "third" }, -1);
        tryCompare(list, "count", 3);
        compare(keys(), ["a", "b", "c"]);
        compare(inserted.count, 1, "one contiguous range, one insertion");
        compare(removed.count, 0);
        compare(reset.count, 0);

        // Delegates see the item fields as roles.
        list.forceLayout();
        const first = list.itemAtIndex(0);
        verify(first);
        compare(first.text, "a: first");

        Fixture.streamDelete(root.rootId, "messages", "b");
        tryCompare(list, "count", 2);
        compare(keys(), ["a", "c"]);
        compare(removed.count, 1);

        // Re-inserting an existing key moves it (and replaces the item).
        const insertsBefore = inserted.count;
        Fixture.streamInsert(root.rootId, "messages", "c", { text: "moved" }, 0);
        tryCompare(list.model, "count", 2);
        tryVerify(() => keys()[0] === "c");
        compare(keys(), ["c", "a"]);
        compare(moved.count + inserted.count - insertsBefore, 1, "the move is a row change");

        Fixture.streamInsert(root.rootId, "messages", "d", { text: "middle" }, 1);
        tryCompare(list, "count", 3);
        compare(keys(), ["c", "d", "a"]);
        compare(list.model.itemAt(1).text, "middle");

        compare(reset.count, 0, "never a reset");
        compare(inserted.count, insertsBefore + 2);
        // 0 → 3, 3 → 2, 2 → 3 (a move nets to no count change).
        compare(countChanged.count, 3, "the model's count followed every change");
        verify(view.countChanges >= 1, "so did the view's");
    }
}
