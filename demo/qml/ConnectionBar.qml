// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Musubi

// URL, protocol and status of the connection, and where the page's data comes
// from (live, saved by an earlier run, being fetched); "Connect" applies an
// edited URL or protocol (MusubiConnection reads them when it opens).
ToolBar {
    id: bar

    required property MusubiConnection connection
    // The root of the page on screen, or null.
    property MusubiRoot root: null
    property bool embedded: false

    signal reconnectRequested(string url, int protocol)

    readonly property string statusText: {
        switch (bar.connection.status) {
        case MusubiConnection.Connected:
            if (bar.connection.activeProtocol === MusubiConnection.SharedChannel)
                return qsTr("Connected · shared channel");
            if (bar.connection.activeProtocol === MusubiConnection.PerRootChannel)
                return qsTr("Connected · per-root channels");
            return qsTr("Connected");
        case MusubiConnection.Connecting:
            return qsTr("Connecting");
        case MusubiConnection.Reconnecting:
            return qsTr("Reconnecting");
        case MusubiConnection.Unauthorized:
            return qsTr("Not authorized: %1").arg(bar.connection.errorString);
        default:
            return qsTr("Closed");
        }
    }

    // MusubiRoot.fromCache and fetching, in words.
    readonly property string dataText: {
        if (bar.root === null || !bar.root.mounted)
            return "";
        if (bar.root.fromCache)
            return qsTr("saved data · fetching…");
        if (bar.root.fetching)
            return qsTr("fetching…");
        return bar.root.ready ? qsTr("live data") : "";
    }

    topPadding: 6
    bottomPadding: 6
    background: Rectangle {
        color: "#24324a"
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 10
        anchors.rightMargin: 10
        spacing: 8

        Column {
            Label {
                text: "Musubi"
                color: "white"
                font.bold: true
                font.pixelSize: 16
            }
            Label {
                text: bar.embedded ? qsTr("embedded server") : qsTr("remote server")
                color: "#aab6c8"
                font.pixelSize: 11
            }
        }

        TextField {
            id: urlField
            objectName: "urlField"
            Layout.fillWidth: true
            Layout.minimumWidth: 220
            text: "" + bar.connection.url
            selectByMouse: true
            onAccepted: bar.reconnectRequested(urlField.text, protocolBox.currentValue)
        }

        ComboBox {
            id: protocolBox
            objectName: "protocolBox"
            textRole: "text"
            valueRole: "value"
            Layout.preferredWidth: 150
            model: [{
                    "text": qsTr("Auto"),
                    "value": MusubiConnection.Auto
                }, {
                    "text": qsTr("Shared (0.4–0.11)"),
                    "value": MusubiConnection.SharedChannel
                }, {
                    "text": qsTr("Per-root (0.12+)"),
                    "value": MusubiConnection.PerRootChannel
                }]
            Component.onCompleted: protocolBox.currentIndex = protocolBox.indexOfValue(bar.connection.protocol)
        }

        Button {
            objectName: "connectButton"
            text: qsTr("Connect")
            onClicked: bar.reconnectRequested(urlField.text, protocolBox.currentValue)
        }

        Rectangle {
            implicitWidth: 10
            implicitHeight: 10
            radius: 5
            color: {
                if (bar.connection.status === MusubiConnection.Connected)
                    return "#66bb6a";
                return bar.connection.status === MusubiConnection.Closed ? "#9e9e9e" : "#f9a825";
            }
        }

        Column {
            Label {
                objectName: "connectionStatus"
                text: bar.statusText
                color: "white"
            }
            Label {
                objectName: "dataState"
                text: bar.dataText
                color: "#aab6c8"
                font.pixelSize: 11
            }
        }
    }
}
