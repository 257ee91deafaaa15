// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Musubi.Inspector

// A log tab of MusubiInspector (envelopes, commands or events): filter,
// pause, clear and copy as JSON over a MusubiInspectorLogModel.
FocusScope {
    id: pane

    required property MusubiInspectorLogModel log
    // Envelopes only: the "refused only" switch.
    property bool showRefusedFilter: false
    readonly property alias listView: list
    // What the last copy put on the clipboard.
    property string copiedText: ""

    // Copies the current record, or every shown record when none is current.
    function copy() {
        pane.copiedText = list.currentIndex >= 0 ? pane.log.copyJson(list.currentIndex)
                                                 : pane.log.copyAllJson();
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 6
        spacing: 4

        RowLayout {
            Layout.fillWidth: true
            TextField {
                id: filterField
                objectName: "filterField"
                Layout.fillWidth: true
                placeholderText: qsTr("Filter (text in the record or root)")
                onTextChanged: pane.log.filterText = filterField.text
                Keys.onDownPressed: list.forceActiveFocus()
            }
            CheckBox {
                objectName: "refusedOnly"
                visible: pane.showRefusedFilter
                text: qsTr("Refused only")
                checked: pane.log.refusedOnly
                onToggled: pane.log.refusedOnly = checked
            }
            Button {
                objectName: "pauseButton"
                text: pane.log.paused ? qsTr("Resume") : qsTr("Pause")
                onClicked: pane.log.paused = !pane.log.paused
            }
            Button {
                objectName: "clearButton"
                text: qsTr("Clear")
                onClicked: pane.log.clear()
            }
            Button {
                objectName: "copyButton"
                text: list.currentIndex >= 0 ? qsTr("Copy") : qsTr("Copy all")
                onClicked: pane.copy()
            }
        }

        Label {
            objectName: "statusLine"
            Layout.fillWidth: true
            text: qsTr("%1 of %2 records (keeps %3)").arg(pane.log.count).arg(pane.log.total)
                      .arg(pane.log.capacity)
                  + (pane.log.paused || pane.log.skipped > 0
                     ? "  " + qsTr("paused: %1 skipped").arg(pane.log.skipped) : "")
            opacity: 0.7
        }

        ListView {
            id: list
            objectName: "logList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            focus: true
            activeFocusOnTab: true
            model: pane.log
            currentIndex: -1
            keyNavigationEnabled: true
            highlightMoveDuration: 0
            highlightResizeDuration: 0
            ScrollBar.vertical: ScrollBar {}

            Keys.onPressed: event => {
                if (event.matches(StandardKey.Copy)) {
                    pane.copy();
                    event.accepted = true;
                } else if (event.key === Qt.Key_Escape) {
                    list.currentIndex = -1;
                    event.accepted = true;
                }
            }
            Keys.onUpPressed: event => {
                if (list.currentIndex <= 0)
                    filterField.forceActiveFocus();
                else
                    list.decrementCurrentIndex();
            }

            // A click makes the record current (handled here: a delegate reaches
            // nothing outside itself). The handler sits on the list's content item: its
            // positions are content coordinates already.
            TapHandler {
                onTapped: eventPoint => {
                    list.currentIndex = list.indexAt(eventPoint.position.x, eventPoint.position.y);
                    list.forceActiveFocus();
                }
            }
            highlight: Rectangle {
                color: "#3d7edb"
                opacity: 0.3
            }

            delegate: Rectangle {
                id: logRow
                objectName: "logRow"
                required property string time
                required property string root
                required property string summary
                required property bool refused

                width: ListView.view.width
                implicitHeight: rowLayout.implicitHeight + 8
                // Refused envelopes stand out in red.
                color: logRow.refused ? "#40ff0000" : "transparent"

                RowLayout {
                    id: rowLayout
                    anchors.fill: parent
                    anchors.leftMargin: 6
                    anchors.rightMargin: 6
                    spacing: 10
                    Label {
                        text: logRow.time
                        font.family: "monospace"
                        opacity: 0.7
                    }
                    Label {
                        text: logRow.root
                        Layout.preferredWidth: 160
                        elide: Text.ElideMiddle
                    }
                    Label {
                        id: summaryLabel
                        objectName: "summaryLabel"
                        text: logRow.summary
                        color: logRow.refused ? "firebrick" : summaryLabel.palette.text
                        font.bold: logRow.refused
                        font.family: "monospace"
                        Layout.fillWidth: true
                        elide: Text.ElideRight
                    }
                }
            }

            Label {
                anchors.centerIn: parent
                visible: list.count === 0
                text: pane.log.paused ? qsTr("Paused") : qsTr("No records")
                opacity: 0.6
            }
        }
    }
}
