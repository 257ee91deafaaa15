// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtTest
import Musubi
import Musubi.Inspector
import MusubiTestFixture

// MusubiInspector as a user sees it: the roots list, a store value that
// changes on the server (and flashes), a command's latency, a refused
// envelope, and the keys. Run under the Basic and the Fusion style.
// (TestCase itself is invisible: the panel sits next to it in a visible Item.)
Item {
    id: window
    width: 800
    height: 600

    TestCase {
        id: testCase
        name: "Inspector"
        when: windowShown

        readonly property string rootKey: "Test.Counter:inspector"

        MusubiConnection {
            id: conn
            url: Fixture.url
        }
        MusubiRoot {
            id: root
            connection: conn
            module: "Test.Counter"
            instanceId: "inspector"
        }
        MusubiCommand {
            id: command
            store: root.store
            name: "increment"
        }

        function findAll(item: Item, name: string): list<Item> {
            let found = [];
            for (let i = 0; i < item.children.length; ++i) {
                const child = item.children[i];
                if (child.objectName === name)
                    found.push(child);
                found = found.concat(testCase.findAll(child, name));
            }
            return found;
        }


        function storeRow(key: string): InspectorTreeRow {
            const tree = inspector.storePane.treeView;
            const rows = testCase.findAll(tree.contentItem, "storeRow");
            for (let i = 0; i < rows.length; ++i) {
                if (rows[i].key === key && rows[i].visible)
                    return rows[i];
            }
            return null;
        }

        function logRows(pane: InspectorLogPane): list<Item> {
            const list = pane.listView;
            return testCase.findAll(list.contentItem, "logRow");
        }

        function init() {
            tryCompare(root, "status", MusubiRoot.Live);
            tryCompare(inspector.session.roots, "count", 1);
            // A command of the previous test must not land in this test's logs.
            tryCompare(command, "pending", false);
            inspector.session.clearLogs();
            inspector.currentTab = 0;
        }

        Component {
            id: lateInspector
            MusubiInspector {
                width: 400
                height: 300
            }
        }

        function test_lateInspectorSelectsTheRoot() {
            const late = createTemporaryObject(lateInspector, window, { connection: conn });
            verify(late);
            compare(late.session.roots.count, 1);
            compare(late.session.selectedRoot, testCase.rootKey);
            verify(late.session.storeModel.rowCount() > 0);
        }

        function test_rootsAndConnection() {
            tryCompare(findChild(inspector, "statusLabel"), "text", "connected");
            compare(findChild(inspector, "urlLabel").text, "" + Fixture.url);
            const list = inspector.rootsPane.rootList;
            tryCompare(list, "count", 1);
            compare(inspector.session.roots.rootAt(0).root, testCase.rootKey);
            compare(inspector.session.roots.rootAt(0).phase, "live");
            // The first root is selected for the Store tab.
            compare(inspector.session.selectedRoot, testCase.rootKey);
        }

        function test_changedValueFlashes() {
            inspector.currentTab = 1;
            const tree = inspector.storePane.treeView;
            tryVerify(() => tree.rows > 0);
            tryVerify(() => testCase.storeRow("count") !== null);
            let row = testCase.storeRow("count");
            verify(!row.flashing);
            const next = root.store.count + 7;
            Fixture.setValue(testCase.rootKey, [], "count", next);
            tryVerify(() => testCase.storeRow("count").value === "" + next);
            row = testCase.storeRow("count");
            verify(row.changedAt > 0);
            tryVerify(() => testCase.storeRow("count").flashing);
            // Only the changed row flashes.
            const label = testCase.storeRow("label");
            verify(label !== null);
            verify(!label.flashing);
        }

        function test_openChildStore() {
            inspector.currentTab = 1;
            command.name = "showCart";
            command.dispatch({ show: true });
            tryVerify(() => testCase.storeRow("cart") !== null);
            const tree = inspector.storePane.treeView;
            const cart = testCase.storeRow("cart");
            compare(cart.type, "store");
            const rowsBefore = tree.rows;
            tree.expand(cart.row);
            tryVerify(() => tree.rows > rowsBefore);
            tryVerify(() => testCase.storeRow("total") !== null);
            command.name = "increment";
        }

        function test_commandLatency() {
            command.name = "increment";
            command.dispatch({ amount: 1 });
            tryCompare(inspector.session.commands, "count", 1);
            const record = inspector.session.commands.recordAt(0);
            compare(record.name, "increment");
            compare(record.outcome, "ok");
            verify(record.latency_us > 0);
            inspector.currentTab = 3;
            tryVerify(() => testCase.logRows(inspector.commandsPane).length === 1);
            const summary = findChild(testCase.logRows(inspector.commandsPane)[0], "summaryLabel");
            verify(/increment {2}ok {2}\d+\.\d ms$/.test(summary.text), summary.text);
        }

        function test_refusedEnvelope() {
            verify(Fixture.sendGappedEnvelope(root.rootId));
            const log = inspector.session.envelopes;
            tryVerify(() => {
                for (let i = 0; i < log.count; ++i) {
                    if (!log.recordAt(i).accepted)
                        return true;
                }
                return false;
            });
            inspector.currentTab = 2;
            const refusedOnly = findChild(inspector.envelopesPane, "refusedOnly");
            verify(refusedOnly.visible);
            mouseClick(refusedOnly);
            compare(log.refusedOnly, true);
            compare(log.count, 1);
            tryVerify(() => testCase.logRows(inspector.envelopesPane).length === 1);
            const row = testCase.logRows(inspector.envelopesPane)[0];
            verify(row.refused);
            const summary = findChild(row, "summaryLabel");
            verify(summary.text.indexOf("refused: ") >= 0, summary.text);
            compare(summary.color, Qt.color("firebrick"));
            mouseClick(refusedOnly);
            compare(log.refusedOnly, false);
            tryCompare(root, "status", MusubiRoot.Live);
        }

        function test_pauseAndClear() {
            inspector.currentTab = 3;
            const logPane = inspector.commandsPane;
            const log = inspector.session.commands;
            mouseClick(findChild(logPane, "pauseButton"));
            verify(log.paused);
            command.name = "increment";
            command.dispatch({ amount: 1 });
            tryCompare(log, "skipped", 1);
            compare(log.count, 0);
            verify(findChild(logPane, "statusLine").text.indexOf("1 skipped") >= 0);
            mouseClick(findChild(logPane, "pauseButton"));
            verify(!log.paused);
            command.dispatch({ amount: 1 });
            tryCompare(log, "count", 1);
            mouseClick(findChild(logPane, "clearButton"));
            compare(log.count, 0);
            compare(log.skipped, 0);
        }

        function test_keyboard() {
            command.name = "increment";
            command.dispatch({ amount: 1 });
            tryCompare(inspector.session.commands, "count", 1);
            command.dispatch({ amount: 2 });
            tryCompare(inspector.session.commands, "count", 2);
            inspector.forceActiveFocus();
            keyClick(Qt.Key_2, Qt.AltModifier);
            compare(inspector.currentTab, 1);
            keyClick(Qt.Key_PageDown, Qt.ControlModifier);
            compare(inspector.currentTab, 2);
            keyClick(Qt.Key_PageDown, Qt.ControlModifier);
            compare(inspector.currentTab, 3);
            keyClick(Qt.Key_PageUp, Qt.ControlModifier);
            keyClick(Qt.Key_PageDown, Qt.ControlModifier);
            compare(inspector.currentTab, 3);
            const logPane = inspector.commandsPane;
            const list = logPane.listView;
            list.forceActiveFocus();
            keyClick(Qt.Key_Down);
            keyClick(Qt.Key_Down);
            compare(list.currentIndex, 1);
            keyClick(Qt.Key_C, Qt.ControlModifier);
            compare(logPane.copiedText, inspector.session.commands.copyJson(1));
            compare(JSON.parse(logPane.copiedText).payload.amount, 2);
            // Escape leaves the list: Ctrl+C then copies every shown record.
            keyClick(Qt.Key_Escape);
            keyClick(Qt.Key_C, Qt.ControlModifier);
            compare(JSON.parse(logPane.copiedText).length, 2);
        }

        function test_storeTreeKeys() {
            command.name = "showCart";
            command.dispatch({ show: true });
            inspector.currentTab = 1;
            const storePane = inspector.storePane;
            const tree = storePane.treeView;
            tryVerify(() => testCase.storeRow("cart") !== null);
            const cart = testCase.storeRow("cart").row;
            if (tree.isExpanded(cart))
                tree.collapse(cart);
            tree.forceActiveFocus();
            tree.cursorRow = cart;
            keyClick(Qt.Key_Right);
            verify(tree.isExpanded(cart));
            tryVerify(() => testCase.storeRow("total") !== null);
            keyClick(Qt.Key_Down);
            compare(tree.cursorRow, cart + 1);
            keyClick(Qt.Key_Up);
            compare(tree.cursorRow, cart);
            keyClick(Qt.Key_Left);
            verify(!tree.isExpanded(cart));
            keyClick(Qt.Key_Space);
            verify(tree.isExpanded(cart));
            command.name = "increment";
        }
    }

    MusubiInspector {
        id: inspector
        anchors.fill: parent
        connection: conn
    }
}
