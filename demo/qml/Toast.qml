// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls

// A short message at the bottom of its parent that fades out by itself.
Rectangle {
    id: toast

    property alias text: label.text

    function show(message) {
        label.text = message;
        fade.restart();
    }

    anchors.horizontalCenter: parent.horizontalCenter
    anchors.bottom: parent.bottom
    anchors.bottomMargin: 72
    width: label.implicitWidth + 32
    height: label.implicitHeight + 16
    radius: height / 2
    color: "#323232"
    opacity: 0
    visible: opacity > 0

    Label {
        id: label
        objectName: "toastLabel"
        anchors.centerIn: parent
        color: "white"
    }

    SequentialAnimation {
        id: fade
        NumberAnimation {
            target: toast
            property: "opacity"
            to: 0.92
            duration: 120
        }
        PauseAnimation {
            duration: 1800
        }
        NumberAnimation {
            target: toast
            property: "opacity"
            to: 0
            duration: 400
        }
    }
}
