// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Musubi.Inspector

// The Roots tab of MusubiInspector: the connection and its mounted roots.
FocusScope {
    id: pane

    required property MusubiInspectorSession session
    readonly property var connectionState: session.connectionState
    readonly property alias rootList: list

    // Enter or a click on a root: it is selected and the panel shows its store.
    signal rootActivated(string root)

    function select(row: int) {
        if (row < 0 || row >= list.count)
            return;
        list.currentIndex = row;
        pane.session.selectedRoot = pane.session.roots.rootAt(row).root;
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 6
        spacing: 4

        GridLayout {
            columns: 2
            columnSpacing: 12
            rowSpacing: 2
            Label { text: qsTr("URL"); font.bold: true }
            Label {
                objectName: "urlLabel"
                text: pane.connectionState.url ?? ""
                elide: Text.ElideMiddle
                Layout.fillWidth: true
            }
            Label { text: qsTr("Status"); font.bold: true }
            Label {
                objectName: "statusLabel"
                text: (pane.connectionState.status ?? qsTr("no connection"))
                      + (pane.connectionState.error ? "  (" + pane.connectionState.error + ")" : "")
            }
            Label { text: qsTr("Protocol"); font.bold: true }
            Label {
                objectName: "protocolLabel"
                text: (pane.connectionState.active_protocol ?? "") + "  "
                      + qsTr("(configured: %1)").arg(pane.connectionState.protocol ?? "")
            }
        }

        Label {
            text: qsTr("Roots")
            font.bold: true
        }

        ListView {
            id: list
            objectName: "rootList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            focus: true
            activeFocusOnTab: true
            model: pane.session.roots
            keyNavigationEnabled: true
            currentIndex: pane.session.roots.indexOf(pane.session.selectedRoot)
            ScrollBar.vertical: ScrollBar {}

            Keys.onReturnPressed: {
                pane.select(list.currentIndex);
                pane.rootActivated(pane.session.selectedRoot);
            }
            Keys.onSpacePressed: pane.select(list.currentIndex)

            // A click selects the root and shows its store (handled here: a delegate
            // reaches nothing outside itself).
            TapHandler {
                onTapped: eventPoint => {
                    const row = list.indexAt(eventPoint.position.x, eventPoint.position.y);
                    if (row < 0)
                        return;
                    list.forceActiveFocus();
                    pane.select(row);
                    pane.rootActivated(pane.session.selectedRoot);
                }
            }
            highlight: Rectangle {
                color: "#3d7edb"
                opacity: 0.3
            }
            highlightMoveDuration: 0

            delegate: Item {
                id: rootRow
                objectName: "rootRow"
                required property string root
                required property string status
                required property string phase
                required property int version
                required property bool fromCache
                required property bool fetching
                required property string error

                width: ListView.view.width
                implicitHeight: rootLayout.implicitHeight + 10

                RowLayout {
                    id: rootLayout
                    anchors.fill: parent
                    anchors.leftMargin: 6
                    anchors.rightMargin: 6
                    spacing: 12
                    Label {
                        text: rootRow.root
                        font.bold: true
                        Layout.fillWidth: true
                        elide: Text.ElideRight
                    }
                    Label {
                        text: rootRow.status
                    }
                    Label {
                        text: rootRow.phase
                        opacity: 0.8
                    }
                    Label {
                        text: "v" + rootRow.version
                    }
                    Label {
                        visible: rootRow.fromCache
                        text: qsTr("from cache")
                        color: "darkorange"
                    }
                    Label {
                        visible: rootRow.fetching
                        text: qsTr("fetching")
                        color: "steelblue"
                    }
                    Label {
                        visible: rootRow.error !== ""
                        text: rootRow.error
                        color: "firebrick"
                    }
                }
            }

            Label {
                anchors.centerIn: parent
                visible: list.count === 0
                text: qsTr("No roots mounted")
                opacity: 0.6
            }
        }
    }
}
