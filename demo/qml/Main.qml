// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Musubi
import Musubi.Inspector

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
    // The Musubi Inspector (docs/inspector.md), docked below the pages: F12 or the
    // toolbar button toggle it (--inspector opens it at start).
    property bool inspectorVisible: false

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

    // The inspector's store tree follows the page on screen.
    readonly property string currentPageRootId: {
        const root = window.currentPage !== null ? window.currentPage.root : null;
        return root !== null ? root.rootId : "";
    }
    onCurrentPageRootIdChanged: showPageRootInInspector()
    function showPageRootInInspector() {
        const panel = inspector.item as MusubiInspector;
        if (panel !== null && window.currentPageRootId !== "")
            panel.session.selectedRoot = window.currentPageRootId;
    }

    // Room for the pages and the inspector below them.
    function makeRoomForInspector() {
        if (window.inspectorVisible && window.visibility !== Window.Maximized
                && window.visibility !== Window.FullScreen && window.height < 900)
            window.height = 900;
    }
    onInspectorVisibleChanged: makeRoomForInspector()
    Component.onCompleted: makeRoomForInspector()

    Shortcut {
        sequence: "F12"
        context: Qt.ApplicationShortcut
        onActivated: window.inspectorVisible = !window.inspectorVisible
    }

    MusubiConnection {
        id: musubiConnection
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
            connection: musubiConnection
            root: window.currentPage !== null ? window.currentPage.root : null
            embedded: window.embedded
            onReconnectRequested: (url, protocol) => {
                musubiConnection.active = false;
                window.serverUrl = url;
                window.protocol = protocol;
                musubiConnection.active = true;
            }
        }

        MusubiStatusBanner {
            id: banner
            Layout.fillWidth: true
            connection: musubiConnection
            root: window.currentPage !== null ? window.currentPage.root : null
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: 0

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

            ToolButton {
                objectName: "inspectorButton"
                text: qsTr("Inspector")
                checkable: true
                checked: window.inspectorVisible
                onToggled: window.inspectorVisible = checked
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Musubi Inspector: roots, store tree, envelopes, commands, events (F12)")
            }
        }
    }

    SplitView {
        anchors.fill: parent
        orientation: Qt.Vertical

        Item {
            SplitView.fillHeight: true
            SplitView.minimumHeight: 160

            StackLayout {
                id: pages
                anchors.fill: parent
                anchors.margins: 16
                currentIndex: tabs.currentIndex

                CounterPage {
                    id: counterPage
                    connection: musubiConnection
                }
                ChatPage {
                    id: chatPage
                    connection: musubiConnection
                }
                TodoPage {
                    id: todoPage
                    connection: musubiConnection
                }
                ProfilePage {
                    id: profilePage
                    objectName: "profilePage"
                    connection: musubiConnection
                }
            }
        }

        Loader {
            id: inspector
            objectName: "inspectorLoader"
            active: window.inspectorVisible
            visible: active
            SplitView.preferredHeight: Math.round(window.height * 0.55)
            SplitView.minimumHeight: 120

            sourceComponent: MusubiInspector {
                objectName: "musubiInspector"
                currentTab: 1 // the store tree
            }
            onLoaded: {
                const panel = inspector.item as MusubiInspector;
                panel.connection = musubiConnection;
                window.showPageRootInInspector();
            }
        }
    }
}
