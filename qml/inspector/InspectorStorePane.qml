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
                currentIndex: pane.session.roots.indexOf(pane.session.selectedRoot)
                onActivated: index => pane.session.selectedRoot = pane.session.roots.rootAt(index).root
            }
        }

        InspectorTreeView {
            id: tree
            objectName: "storeTree"
            Layout.fillWidth: true
            Layout.fillHeight: true
            focus: true
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
