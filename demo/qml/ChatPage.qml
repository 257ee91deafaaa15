// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Musubi
import MusubiDemoTypedStores

// Demo.ChatStore: a ListView over the "messages" stream, the "send" command
// and a toast on the "message_sent" push event, through the typed
// DemoChatStoreRoot: chat.state.messages is the stream's model and
// messageSent(payload) a signal of the DemoChatStore view; "send" goes through
// MusubiCommand on the view's store (pending and error for the form). The room
// is the instance id: every client mounting Demo.ChatStore:lobby on the same
// server (another window, the widgets demo, musubi-cli) sees the messages the
// others send.
DemoPage {
    id: page

    root: chat
    ready: chat.ready && messages.count > 0
    summary: chat.ready ? qsTr("%1 messages").arg(messages.count) : ""

    DemoChatStoreRoot {
        id: chat
        connection: page.connection
        instanceId: "lobby"
    }

    MusubiCommand {
        id: send
        store: chat.state ? chat.state.store : null
        name: "send"
        onSucceeded: input.clear()
    }

    Connections {
        target: chat.state

        function onMessageSent(payload) {
            toast.show(qsTr("Message %1 sent").arg(payload.id));
            messages.positionViewAtEnd();
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        Label {
            text: chat.state ? chat.state.title : ""
            font.pixelSize: 20
            font.bold: true
        }

        Frame {
            Layout.fillWidth: true
            Layout.fillHeight: true
            padding: 0

            ListView {
                id: messages
                objectName: "messageList"
                anchors.fill: parent
                anchors.margins: 8
                clip: true
                spacing: 10
                model: chat.state ? chat.state.messages : null
                onCountChanged: messages.positionViewAtEnd()
                ScrollBar.vertical: ScrollBar {
                }

                delegate: Column {
                    id: message

                    required property string author
                    required property string body
                    required property string at

                    width: ListView.view.width
                    spacing: 2

                    Row {
                        spacing: 8
                        Label {
                            text: message.author
                            font.bold: true
                            color: message.author === "musubi" ? "#6a1b9a" : "#1565c0"
                        }
                        Label {
                            text: new Date(message.at).toLocaleTimeString(Qt.locale(), "HH:mm")
                            opacity: 0.6
                        }
                    }
                    Label {
                        width: parent.width
                        text: message.body
                        wrapMode: Text.Wrap
                    }
                }
            }
        }

        Label {
            visible: send.error !== null
            color: "#b3261e"
            text: {
                if (!send.error)
                    return "";
                return send.error.code === "empty_body" ? qsTr("Type a message first.") : send.error.message;
            }
        }

        RowLayout {
            Layout.fillWidth: true

            TextField {
                id: author
                Layout.preferredWidth: 120
                text: "qml"
                placeholderText: qsTr("Name")
            }
            TextField {
                id: input
                objectName: "messageInput"
                Layout.fillWidth: true
                placeholderText: qsTr("Say something…")
                onAccepted: send.dispatch({
                        "author": author.text,
                        "body": input.text
                    })
            }
            Button {
                objectName: "sendButton"
                text: qsTr("Send")
                highlighted: true
                enabled: chat.status === MusubiRoot.Live && !send.pending
                onClicked: send.dispatch({
                        "author": author.text,
                        "body": input.text
                    })
            }
        }
    }

    Toast {
        id: toast
    }
}
