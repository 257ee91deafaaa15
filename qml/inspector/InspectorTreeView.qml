// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import Musubi.Inspector

// The store tree of InspectorStorePane: a TreeView over a
// MusubiInspectorStoreModel with a current row the arrow keys move (Left and
// Right close and open it, Space toggles it). Its delegate is an
// InspectorTreeRow (set by the user of the view: the row refers to this type).
TreeView {
    id: tree

    // The row the keys act on.
    property int cursorRow: 0
    // How long a changed value stays highlighted (ms).
    property int flashDuration: 1200

    function moveTo(row: int) {
        tree.cursorRow = Math.max(0, Math.min(row, tree.rows - 1));
        tree.positionViewAtRow(tree.cursorRow, TableView.Contain);
    }

    clip: true
    columnWidthProvider: () => tree.width
    ScrollBar.vertical: ScrollBar {}

    Keys.onUpPressed: tree.moveTo(tree.cursorRow - 1)
    Keys.onDownPressed: tree.moveTo(tree.cursorRow + 1)
    Keys.onRightPressed: {
        if (!tree.isExpanded(tree.cursorRow))
            tree.expand(tree.cursorRow);
        else
            tree.moveTo(tree.cursorRow + 1);
    }
    Keys.onLeftPressed: {
        if (tree.isExpanded(tree.cursorRow))
            tree.collapse(tree.cursorRow);
    }
    Keys.onSpacePressed: tree.toggleExpanded(tree.cursorRow)
}
