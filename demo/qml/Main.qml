// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Musubi

// The Musubi demo: one connection, one page per demo root store.
ApplicationWindow {
    id: window

    // Set by main.cpp from the command line.
    property string serverUrl: ""
    property int protocol: MusubiConnection.Auto
    property bool embedded: true
    property int initialPage: 0

    // The page on screen, and whether its root is live with its data shown
    // (main.cpp takes the --screenshot then).
    // (A list<DemoPage> property here crashes the 6.4 ahead-of-time compiled binding.)
    readonly property DemoPage currentPage: {
        const pages = [counterPage, chatPage, todoPage, profilePage];
        return pages[tabs.currentIndex] ?? null;
    }
    readonly property bool currentPageReady: window.currentPage !== null && window.currentPage.ready

    width: 820
    height: 560
    visible: true
    title: qsTr("Musubi demo")

    MusubiConnection {
        id: connection
        url: window.serverUrl
        protocol: window.protocol
    }

    header: ColumnLayout {
        spacing: 0

        ConnectionBar {
            Layout.fillWidth: true
            connection: connection
            embedded: window.embedded
            onReconnectRequested: (url, protocol) => {
                connection.active = false;
                window.serverUrl = url;
                window.protocol = protocol;
                connection.active = true;
            }
        }

        MusubiStatusBanner {
            Layout.fillWidth: true
            connection: connection
            root: window.currentPage !== null ? window.currentPage.root : null
        }

        TabBar {
            id: tabs
            objectName: "pageTabs"
            Layout.fillWidth: true
            currentIndex: window.initialPage

            TabButton {
                text: qsTr("Counter")
            }
            TabButton {
                text: qsTr("Chat")
            }
            TabButton {
                text: qsTr("Todos")
            }
            TabButton {
                text: qsTr("Profile")
            }
        }
    }

    StackLayout {
        id: pages
        anchors.fill: parent
        anchors.margins: 16
        currentIndex: tabs.currentIndex

        CounterPage {
            id: counterPage
            connection: connection
        }
        ChatPage {
            id: chatPage
            connection: connection
        }
        TodoPage {
            id: todoPage
            connection: connection
        }
        ProfilePage {
            id: profilePage
            objectName: "profilePage"
            connection: connection
        }
    }
}
