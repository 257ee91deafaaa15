// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Musubi
import MusubiDemoTypedStores

// Demo.CounterStore: a field bound to a label, commands on buttons. The root
// is the typed DemoCounterStoreRoot musubi-codegen writes: counter.state is the
// DemoCounterStore view, counter.state.count an integer property. Commands are
// the view's functions: counter.state.increment(1) returns a Promise (a failure
// is shown below).
DemoPage {
    id: page

    root: counter
    summary: counter.state ? qsTr("count %1").arg(counter.state.count) : ""

    DemoCounterStoreRoot {
        id: counter
        connection: page.connection
        instanceId: "qml"
    }

    // The last command failure, or "".
    property string failure: ""

    function increment(amount) {
        counter.state.increment(amount).then(() => page.failure = "", error => page.failure = error.message);
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
            text: counter.state ? "" + counter.state.count : "–"
            font.pixelSize: 96
            font.bold: true
        }

        RowLayout {
            Layout.alignment: Qt.AlignHCenter
            spacing: 12

            Button {
                text: "−1"
                enabled: counter.status === MusubiRoot.Live
                onClicked: page.increment(-1)
            }
            Button {
                objectName: "incrementButton"
                text: "+1"
                highlighted: true
                enabled: counter.status === MusubiRoot.Live
                onClicked: page.increment(1)
            }
            Button {
                text: "+10"
                enabled: counter.status === MusubiRoot.Live
                onClicked: page.increment(10)
            }
            Button {
                objectName: "resetButton"
                text: qsTr("Reset")
                flat: true
                enabled: counter.status === MusubiRoot.Live
                onClicked: counter.state.reset()
            }
        }

        Label {
            Layout.alignment: Qt.AlignHCenter
            Layout.maximumWidth: 460
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
            opacity: 0.7
            text: {
                if (page.failure)
                    return qsTr("increment failed: %1").arg(page.failure);
                return qsTr("Each click sends a command; the label changes when the server's patch arrives.");
            }
        }
    }
}
