// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Musubi
import Musubi.Inspector

/*!
    \qmltype MusubiInspector
    \inqmlmodule Musubi.Inspector
    \brief A devtools panel for a MusubiConnection: its roots, the live store
    tree of a root, and logs of envelopes, commands and events.

    One line adds it to an app:

    \qml
    import Musubi.Inspector

    MusubiInspector { connection: conn; anchors.fill: parent }
    \endqml

    The tabs are \e Roots (the connection's URL, status and protocol, and
    each mounted root with its status, phase, version and whether its state
    came from the cache), \e Store (the selected root's stores as a tree;
    values that change flash), \e Envelopes, \e Commands and \e Events (ring
    buffers of the last 1000 records, with a filter, pause, clear and copy as
    JSON).

    Keys: Ctrl+Page Down and Ctrl+Page Up (or Alt+1 to Alt+5) switch tabs;
    the arrow keys move in the lists and the tree (Left and Right close and
    open a tree row); Ctrl+C copies the current log record as JSON.

    The inspector listens to the connection's MusubiTrace only while it
    exists: an app without one builds no trace records.
*/
Pane {
    id: inspector

    /*!
        The connection to inspect.
    */
    property MusubiConnection connection: null
    /*!
        The models behind the panel (read-only).
    */
    readonly property MusubiInspectorSession session: inspectorSession
    /*!
        The tab shown: 0 Roots, 1 Store, 2 Envelopes, 3 Commands, 4 Events.
    */
    property alias currentTab: tabs.currentIndex
    /*!
        The tabs' contents, for tests and for apps that add to them.
    */
    readonly property alias rootsPane: rootsPane
    readonly property alias storePane: storePane
    readonly property alias envelopesPane: envelopesPane
    readonly property alias commandsPane: commandsPane
    readonly property alias eventsPane: eventsPane

    padding: 0
    implicitWidth: 640
    implicitHeight: 420

    function switchTab(step: int) {
        tabs.currentIndex = (tabs.currentIndex + step + tabs.count) % tabs.count;
        stack.children[tabs.currentIndex].forceActiveFocus();
    }

    Keys.onPressed: event => {
        if (event.modifiers & Qt.ControlModifier && event.key === Qt.Key_PageDown) {
            inspector.switchTab(1);
            event.accepted = true;
        } else if (event.modifiers & Qt.ControlModifier && event.key === Qt.Key_PageUp) {
            inspector.switchTab(-1);
            event.accepted = true;
        } else if (event.modifiers & Qt.AltModifier && event.key >= Qt.Key_1
                   && event.key < Qt.Key_1 + tabs.count) {
            tabs.currentIndex = event.key - Qt.Key_1;
            stack.children[tabs.currentIndex].forceActiveFocus();
            event.accepted = true;
        }
    }

    MusubiInspectorSession {
        id: inspectorSession
        connection: inspector.connection
    }

    // The first root shown is selected, so the Store tab has something to show (also when
    // the roots were mounted before the panel was made).
    function selectFirstRoot() {
        if (inspectorSession.selectedRoot === "" && inspectorSession.roots.count > 0)
            inspectorSession.selectedRoot = inspectorSession.roots.rootAt(0).root;
    }
    Component.onCompleted: inspector.selectFirstRoot()
    Connections {
        target: inspectorSession.roots
        function onCountChanged() {
            inspector.selectFirstRoot();
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        TabBar {
            id: tabs
            Layout.fillWidth: true
            TabButton { text: qsTr("Roots (%1)").arg(inspectorSession.roots.count) }
            TabButton { text: qsTr("Store") }
            TabButton { text: qsTr("Envelopes (%1)").arg(inspectorSession.envelopes.count) }
            TabButton { text: qsTr("Commands (%1)").arg(inspectorSession.commands.count) }
            TabButton { text: qsTr("Events (%1)").arg(inspectorSession.events.count) }
        }

        StackLayout {
            id: stack
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: tabs.currentIndex

            InspectorConnectionPane {
                id: rootsPane
                objectName: "rootsPane"
                session: inspectorSession
                onRootActivated: tabs.currentIndex = 1
            }
            InspectorStorePane {
                id: storePane
                objectName: "storePane"
                session: inspectorSession
            }
            InspectorLogPane {
                id: envelopesPane
                objectName: "envelopesPane"
                log: inspectorSession.envelopes
                showRefusedFilter: true
            }
            InspectorLogPane {
                id: commandsPane
                objectName: "commandsPane"
                log: inspectorSession.commands
            }
            InspectorLogPane {
                id: eventsPane
                objectName: "eventsPane"
                log: inspectorSession.events
            }
        }
    }
}
