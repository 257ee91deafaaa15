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
    // The mount cache (docs/cache.md): on by default, on disk, so that the next
    // start shows the last state at once; an empty directory is the default one
    // (<user cache directory>/musubi).
    property bool cacheEnabled: true
    property string cacheDirectory: ""

    // The page on screen, and whether its root is live with its data shown
    // (main.cpp takes the --screenshot then; saved data from the cache is not live).
    // (A list<DemoPage> property here crashes the 6.4 ahead-of-time compiled binding.)
    readonly property DemoPage currentPage: {
        const pages = [counterPage, chatPage, todoPage, profilePage];
        return pages[tabs.currentIndex] ?? null;
    }
    readonly property bool currentPageReady: {
        return window.currentPage !== null && window.currentPage.ready && !window.currentPageFromCache;
    }
    // The page shows the state saved by an earlier run, its server has not answered yet.
    readonly property bool currentPageFromCache: {
        const root = window.currentPage !== null ? window.currentPage.root : null;
        return root !== null && root.fromCache;
    }
    // What the page and the banner say, in a few words (--report-startup prints it).
    readonly property string currentPageSummary: {
        const summary = window.currentPage !== null ? window.currentPage.summary : "";
        return banner.shown ? summary + " | " + banner.text : summary;
    }

    width: 820
    height: 560
    visible: true
    title: qsTr("Musubi demo")

    MusubiConnection {
        id: connection
        url: window.serverUrl
        protocol: window.protocol
        cache.enabled: window.cacheEnabled
        cache.storage: MusubiCache.Disk
        cache.directory: window.cacheDirectory
        // Saved state is shown for a week after it was written (the default is 5 minutes).
        cache.gcTime: 7 * 24 * 3600 * 1000
    }

    header: ColumnLayout {
        spacing: 0

        ConnectionBar {
            Layout.fillWidth: true
            connection: connection
            root: window.currentPage !== null ? window.currentPage.root : null
            embedded: window.embedded
            onReconnectRequested: (url, protocol) => {
                connection.active = false;
                window.serverUrl = url;
                window.protocol = protocol;
                connection.active = true;
            }
        }

        MusubiStatusBanner {
            id: banner
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
