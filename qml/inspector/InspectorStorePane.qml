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
    // The row the arrow keys move.
    property int currentRow: 0
    // How long a changed value stays highlighted.
    property int flashDuration: 1200

    function moveTo(row: int) {
        pane.currentRow = Math.max(0, Math.min(row, tree.rows - 1));
        tree.positionViewAtRow(pane.currentRow, TableView.Contain);
    }

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

        TreeView {
            id: tree
            objectName: "storeTree"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            focus: true
            model: pane.session.storeModel
            columnWidthProvider: () => tree.width
            ScrollBar.vertical: ScrollBar {}

            Keys.onUpPressed: pane.moveTo(pane.currentRow - 1)
            Keys.onDownPressed: pane.moveTo(pane.currentRow + 1)
            Keys.onRightPressed: {
                if (!tree.isExpanded(pane.currentRow))
                    tree.expand(pane.currentRow);
                else
                    pane.moveTo(pane.currentRow + 1);
            }
            Keys.onLeftPressed: {
                if (tree.isExpanded(pane.currentRow))
                    tree.collapse(pane.currentRow);
            }
            Keys.onSpacePressed: tree.toggleExpanded(pane.currentRow)

            delegate: Item {
                id: storeRow
                objectName: "storeRow"

                required property TreeView treeView
                required property bool isTreeNode
                required property bool expanded
                required property bool hasChildren
                required property int depth
                required property int row
                required property string key
                required property string value
                required property string type
                required property double changedAt
                readonly property bool flashing: flashAnimation.running

                implicitWidth: tree.width
                implicitHeight: keyLabel.implicitHeight + 6

                function flash() {
                    if (storeRow.changedAt > 0 && Date.now() - storeRow.changedAt < pane.flashDuration)
                        flashAnimation.restart();
                }
                onChangedAtChanged: storeRow.flash()
                Component.onCompleted: storeRow.flash()

                Rectangle {
                    anchors.fill: parent
                    color: storeRow.row === pane.currentRow && tree.activeFocus
                           ? storeRow.palette.highlight : "transparent"
                    opacity: 0.35
                }
                Rectangle {
                    id: flashRect
                    anchors.fill: parent
                    color: "#ffd54f"
                    opacity: 0
                    SequentialAnimation {
                        id: flashAnimation
                        PropertyAction { target: flashRect; property: "opacity"; value: 0.8 }
                        NumberAnimation {
                            target: flashRect
                            property: "opacity"
                            to: 0
                            duration: pane.flashDuration
                            easing.type: Easing.InQuad
                        }
                    }
                }

                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: 4 + storeRow.depth * 16
                    anchors.rightMargin: 4
                    spacing: 8
                    Label {
                        text: storeRow.hasChildren ? (storeRow.expanded ? "▾" : "▸") : ""
                        Layout.preferredWidth: 12
                    }
                    Label {
                        id: keyLabel
                        text: storeRow.key
                        font.bold: storeRow.type === "store"
                        Layout.preferredWidth: Math.max(80, tree.width * 0.25)
                        elide: Text.ElideRight
                    }
                    Label {
                        objectName: "valueLabel"
                        text: storeRow.value
                        Layout.fillWidth: true
                        elide: Text.ElideRight
                        font.family: "monospace"
                    }
                    Label {
                        text: storeRow.type
                        opacity: 0.6
                    }
                }

                TapHandler {
                    onTapped: {
                        pane.currentRow = storeRow.row;
                        tree.forceActiveFocus();
                        if (storeRow.hasChildren)
                            tree.toggleExpanded(storeRow.row);
                    }
                }
            }
        }

        Label {
            visible: pane.session.selectedRoot === ""
            text: qsTr("Select a root on the Roots tab")
            opacity: 0.6
        }
    }
}
