// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import Musubi

/*!
    \qmltype MusubiStatusBanner
    \inqmlmodule Musubi
    \brief A thin strip that says Connecting, Reconnecting, Failed, or that the
    data shown is saved data while offline.

    Put it above (or over the top edge of) the content that shows a root's
    store. It never hides that content: while the connection is down the
    last good state stays on screen and the banner only annotates it. When
    everything is live the banner collapses to zero height.

    \qml
    Column {
        MusubiStatusBanner { width: parent.width; connection: conn; root: cart }
        CartView { store: cart.store }
    }
    \endqml

    \c phase is one of \c MusubiStatusBanner.Idle (nothing to report),
    \c Live, \c Connecting, \c Reconnecting, \c Offline (the socket is down
    and the root shows state read from the mount cache: "offline — showing
    saved data"), \c Failed or \c Unauthorized (the server refused the
    connection's credentials; the text carries the connection's errorString,
    e.g. "HTTP 401 Unauthorized"); \c text is the message shown.

    The messages are properties (connectingText, reconnectingText,
    offlineText, failedText, unauthorizedText), so that apps can translate or
    reword them.
*/
Rectangle {
    id: banner

    // What the banner reports, most important last (documented with the phase property).
    enum Phase {
        Idle,
        Live,
        Connecting,
        Reconnecting,
        Offline,
        Failed,
        Unauthorized
    }

    /*!
        The connection to watch; optional.
    */
    property MusubiConnection connection: null
    /*!
        The root to watch; optional. Its failure takes precedence.
    */
    property MusubiRoot root: null

    /*!
        The message shown while connecting; apps may translate or reword it.
    */
    property string connectingText: qsTr("Connecting…")
    /*!
        The message shown while reconnecting (the last good state stays on screen).
    */
    property string reconnectingText: qsTr("Reconnecting… showing the last known data")
    /*!
        The message shown while the socket is down and the root shows state
        read from the mount cache (MusubiRoot.fromCache).
    */
    property string offlineText: qsTr("offline — showing saved data")
    /*!
        The message shown when the root failed, followed by its errorString.
    */
    property string failedText: qsTr("Failed")
    /*!
        The message shown when the server refused the connection's
        credentials, followed by the connection's errorString.
    */
    property string unauthorizedText: qsTr("Not authorized")

    /*!
        \qmlproperty enumeration MusubiStatusBanner::phase
        \readonly

        What the banner reports, most important last:

        \value MusubiStatusBanner.Idle          Nothing to report (nothing watched, or
                                               everything closed).
        \value MusubiStatusBanner.Live          The root is live or the connection is connected;
                                               the banner is hidden.
        \value MusubiStatusBanner.Connecting    The connection or the root is connecting.
        \value MusubiStatusBanner.Reconnecting  The connection or the root is reconnecting;
                                               the last good state stays on screen.
        \value MusubiStatusBanner.Offline       The socket is down (the connection is not
                                               \c Connected) and the root shows the state
                                               saved by an earlier mount
                                               (MusubiRoot.fromCache).
        \value MusubiStatusBanner.Failed        The root failed (errorString says why).
        \value MusubiStatusBanner.Unauthorized  The server refused the connection's credentials.

        When several apply, the root's failure wins, then Unauthorized,
        Offline, Reconnecting, Connecting and Live. Unauthorized and Offline
        need only \l root: without \l connection the banner watches the root's
        own connection.
    */
    readonly property int phase: {
        // Without a connection of its own the banner watches the root's.
        const socket = banner.connection ?? (banner.root ? banner.root.connection : null);
        if (banner.root && banner.root.status === MusubiRoot.Failed)
            return MusubiStatusBanner.Failed;
        if (socket && socket.status === MusubiConnection.Unauthorized)
            return MusubiStatusBanner.Unauthorized;
        if (banner.root && banner.root.fromCache) {
            if (!socket || socket.status !== MusubiConnection.Connected)
                return MusubiStatusBanner.Offline;
        }
        if ((banner.connection && banner.connection.status === MusubiConnection.Reconnecting)
                || (banner.root && banner.root.status === MusubiRoot.Reconnecting))
            return MusubiStatusBanner.Reconnecting;
        if ((banner.connection && banner.connection.status === MusubiConnection.Connecting)
                || (banner.root && banner.root.status === MusubiRoot.Connecting))
            return MusubiStatusBanner.Connecting;
        if ((banner.root && banner.root.status === MusubiRoot.Live)
                || (banner.connection && banner.connection.status === MusubiConnection.Connected))
            return MusubiStatusBanner.Live;
        return MusubiStatusBanner.Idle;
    }

    /*!
        The message shown: connectingText, reconnectingText, offlineText,
        failedText or unauthorizedText (the last two followed by the
        errorString, if any), empty when there is nothing to report.
    */
    readonly property string text: {
        switch (banner.phase) {
        case MusubiStatusBanner.Failed:
            return banner.root.errorString.length > 0
                    ? banner.failedText + ": " + banner.root.errorString : banner.failedText;
        case MusubiStatusBanner.Unauthorized:
            return banner.connection.errorString.length > 0
                    ? banner.unauthorizedText + ": " + banner.connection.errorString
                    : banner.unauthorizedText;
        case MusubiStatusBanner.Offline:
            return banner.offlineText;
        case MusubiStatusBanner.Reconnecting:
            return banner.reconnectingText;
        case MusubiStatusBanner.Connecting:
            return banner.connectingText;
        default:
            return "";
        }
    }

    /*!
        Whether the banner is visible: true when text is not empty. When false
        the banner collapses to zero height.
    */
    readonly property bool shown: banner.text.length > 0

    implicitWidth: label.implicitWidth + 24
    implicitHeight: banner.shown ? label.implicitHeight + 12 : 0
    visible: banner.shown
    clip: true
    color: {
        switch (banner.phase) {
        case MusubiStatusBanner.Failed:
        case MusubiStatusBanner.Unauthorized:
            return "#b3261e";
        case MusubiStatusBanner.Reconnecting:
            return "#8a6d00";
        case MusubiStatusBanner.Offline:
            return "#5c6470";
        default:
            return "#3d5a80";
        }
    }

    Accessible.role: Accessible.AlertMessage
    Accessible.name: banner.text

    Text {
        id: label
        anchors.centerIn: parent
        width: Math.min(implicitWidth, parent.width - 24)
        elide: Text.ElideRight
        color: "white"
        text: banner.text
    }
}
