// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Musubi

// Demo.CounterStore: a field bound to a label, commands on buttons.
DemoPage {
    id: page

    // A store's fields are unknown to the linter; a var property keeps the
    // bindings below free of "property not found" warnings (QT-NOTES pitfall 10).
    readonly property var store: counter.store

    root: counter

    MusubiRoot {
        id: counter
        connection: page.connection
        module: "Demo.CounterStore"
        instanceId: "qml"
    }

    MusubiCommand {
        id: increment
        store: counter.store
        name: "increment"
    }

    MusubiCommand {
        id: reset
        store: counter.store
        name: "reset"
    }

    ColumnLayout {
        anchors.centerIn: parent
        spacing: 24

        Label {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Demo.CounterStore · count")
            opacity: 0.7
        }

        Label {
            objectName: "countLabel"
            Layout.alignment: Qt.AlignHCenter
            text: page.store ? "" + page.store.count : "–"
            font.pixelSize: 96
            font.bold: true
        }

        RowLayout {
            Layout.alignment: Qt.AlignHCenter
            spacing: 12

            Button {
                text: "−1"
                enabled: counter.status === MusubiRoot.Live
                onClicked: increment.dispatch({
                        "amount": -1
                    })
            }
            Button {
                objectName: "incrementButton"
                text: "+1"
                highlighted: true
                enabled: counter.status === MusubiRoot.Live
                onClicked: increment.dispatch({
                        "amount": 1
                    })
            }
            Button {
                text: "+10"
                enabled: counter.status === MusubiRoot.Live
                onClicked: increment.dispatch({
                        "amount": 10
                    })
            }
            Button {
                objectName: "resetButton"
                text: qsTr("Reset")
                flat: true
                enabled: counter.status === MusubiRoot.Live
                onClicked: reset.dispatch()
            }
        }

        Label {
            Layout.alignment: Qt.AlignHCenter
            Layout.maximumWidth: 460
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
            opacity: 0.7
            text: {
                if (increment.error)
                    return qsTr("increment failed: %1").arg(increment.error.message);
                return qsTr("Each click sends a command; the label changes when the server's patch arrives.");
            }
        }
    }
}
