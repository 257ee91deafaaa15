// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Musubi.Inspector

// One row of InspectorTreeView: key, value preview and type, indented by
// depth; it flashes when its value changes (changedAt).
Item {
    id: storeRow
    objectName: "storeRow"

    required property InspectorTreeView treeView
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

    implicitWidth: storeRow.treeView.width
    implicitHeight: keyLabel.implicitHeight + 6

    // Only a recent change flashes: a row scrolled into view later does not.
    function flash() {
        if (storeRow.changedAt > 0
                && Date.now() - storeRow.changedAt < storeRow.treeView.flashDuration)
            flashAnimation.restart();
    }
    onChangedAtChanged: storeRow.flash()
    Component.onCompleted: storeRow.flash()

    Rectangle {
        anchors.fill: parent
        visible: storeRow.row === storeRow.treeView.cursorRow && storeRow.treeView.activeFocus
        color: "#3d7edb"
        opacity: 0.3
    }
    Rectangle {
        id: flashRect
        anchors.fill: parent
        color: "#ffd54f"
        opacity: 0
        SequentialAnimation {
            id: flashAnimation
            PropertyAction {
                target: flashRect
                property: "opacity"
                value: 0.8
            }
            NumberAnimation {
                target: flashRect
                property: "opacity"
                to: 0
                duration: storeRow.treeView.flashDuration
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
            // The values line up whatever the depth.
            Layout.preferredWidth: Math.max(80, storeRow.treeView.width * 0.25) - storeRow.depth * 16
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
            storeRow.treeView.cursorRow = storeRow.row;
            storeRow.treeView.forceActiveFocus();
            if (storeRow.hasChildren)
                storeRow.treeView.toggleExpanded(storeRow.row);
        }
    }
}
