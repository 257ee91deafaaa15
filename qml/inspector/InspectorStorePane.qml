// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Musubi.Inspector

// The Store tab of MusubiInspector: the selected root's store tree. Rows are
// made when opened (MusubiInspectorStoreModel); a value that changes flashes.
FocusScope {
    id: pane

    required property MusubiInspectorSession session
    readonly property alias treeView: tree

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 6
        spacing: 4

        RowLayout {
            Layout.fillWidth: true
            Label {
                text: qsTr("Root")
                font.bold: true
            }
            ComboBox {
                id: rootBox
                objectName: "rootBox"
                Layout.fillWidth: true
                model: pane.session.roots
                textRole: "root"
                // Read again when roots come and go (indexOf() alone is not a notifying read).
                currentIndex: pane.session.roots.count >= 0
                              ? pane.session.roots.indexOf(pane.session.selectedRoot) : -1
                // Always the selected root, also after an activation replaced the binding above.
                displayText: pane.session.selectedRoot !== "" ? pane.session.selectedRoot
                                                              : qsTr("Select a root")
                onActivated: index => pane.session.selectedRoot = pane.session.roots.rootAt(index).root
            }
        }

        InspectorTreeView {
            id: tree
            objectName: "storeTree"
            Layout.fillWidth: true
            Layout.fillHeight: true
            focus: true
            activeFocusOnTab: true
            model: pane.session.storeModel
            delegate: InspectorTreeRow {}
        }

        Label {
            visible: pane.session.selectedRoot === ""
            text: qsTr("Select a root on the Roots tab")
            opacity: 0.6
        }
    }
}
