// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import Musubi
import MusubiDemoTypedStores

// Demo.ProfileStore through the typed DemoProfileStoreRoot: a form saved with
// the "save" command (MusubiCommand on the view's store, for its pending flag
// and error), and the "avatar" upload: choose a file (preflight), upload it
// with per-file progress, then "save" consumes it on the server and avatarUrl
// shows it.
DemoPage {
    id: page

    // The upload handle of the "avatar" field.
    readonly property MusubiUpload avatar: profile.state ? profile.state.avatar : null

    root: profile
    summary: profile.state ? qsTr("name %1").arg(profile.state.name) : ""

    DemoProfileStoreRoot {
        id: profile
        connection: page.connection
        instanceId: "qml"
    }

    MusubiCommand {
        id: save
        store: profile.state ? profile.state.store : null
        name: "save"
    }

    FileDialog {
        id: avatarDialog
        title: qsTr("Choose an avatar")
        nameFilters: [qsTr("Images (*.png *.jpg)")]
        onAccepted: page.avatar.select(avatarDialog.selectedFiles)
    }

    GridLayout {
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        columns: 2
        columnSpacing: 16
        rowSpacing: 12

        Label {
            text: qsTr("Name")
        }
        TextField {
            id: nameField
            objectName: "nameField"
            Layout.fillWidth: true
            text: profile.state ? profile.state.name : ""
        }

        Label {
            text: qsTr("Bio")
        }
        TextField {
            id: bioField
            Layout.fillWidth: true
            text: profile.state ? profile.state.bio : ""
        }

        Label {
            text: qsTr("Avatar")
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 12

            Rectangle {
                implicitWidth: 56
                implicitHeight: 56
                radius: 6
                color: "#d5dbe3"
                clip: true

                Image {
                    anchors.fill: parent
                    fillMode: Image.PreserveAspectCrop
                    source: profile.state && profile.state.avatarUrl ? profile.state.avatarUrl : ""
                }
            }
            Button {
                objectName: "chooseAvatarButton"
                text: qsTr("Choose…")
                enabled: page.avatar !== null && page.avatar.status !== MusubiUpload.Uploading
                onClicked: avatarDialog.open()
            }
            Button {
                objectName: "uploadButton"
                text: qsTr("Upload")
                enabled: page.avatar !== null && page.avatar.status === MusubiUpload.Selecting
                         && page.avatar.entryModel.count > 0
                onClicked: page.avatar.start()
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                opacity: 0.7
                text: qsTr(".png or .jpg, up to 1 MB; Save keeps it.")
            }
        }

        Item {
            implicitWidth: 1
            implicitHeight: 1
        }
        ColumnLayout {
            Layout.fillWidth: true

            // One row per file: name, progress bar and state.
            Repeater {
                model: page.avatar ? page.avatar.entryModel : null

                delegate: RowLayout {
                    id: entry

                    required property string clientName
                    required property int progress
                    required property int status
                    required property string errorString

                    function statusText(): string {
                        switch (entry.status) {
                        case MusubiUploadEntry.Pending:
                            return qsTr("ready");
                        case MusubiUploadEntry.Uploading:
                            return qsTr("uploading");
                        case MusubiUploadEntry.Succeeded:
                            return qsTr("uploaded");
                        case MusubiUploadEntry.Failed:
                            return qsTr("failed");
                        default:
                            return "";
                        }
                    }

                    Layout.fillWidth: true
                    spacing: 8

                    Label {
                        Layout.preferredWidth: 160
                        text: entry.clientName
                        elide: Text.ElideMiddle
                    }
                    ProgressBar {
                        Layout.fillWidth: true
                        from: 0
                        to: 100
                        value: entry.progress
                    }
                    Label {
                        objectName: "avatarEntryStatus"
                        Layout.preferredWidth: 120
                        text: entry.status === MusubiUploadEntry.Failed && entry.errorString.length > 0
                              ? entry.errorString : entry.statusText()
                        color: entry.status === MusubiUploadEntry.Failed ? "#b3261e" : palette.text
                        elide: Text.ElideRight
                    }
                }
            }
            Label {
                objectName: "avatarError"
                Layout.fillWidth: true
                visible: text.length > 0
                wrapMode: Text.WordWrap
                color: "#b3261e"
                text: {
                    if (!page.avatar || page.avatar.rejected.length === 0)
                        return "";
                    const refused = page.avatar.rejected[0];
                    return qsTr("%1: %2").arg(refused.name).arg(refused.message || refused.code);
                }
            }
        }

        Item {
            implicitWidth: 1
            implicitHeight: 1
        }
        RowLayout {
            Button {
                objectName: "saveButton"
                text: save.pending ? qsTr("Saving…") : qsTr("Save")
                highlighted: true
                enabled: profile.status === MusubiRoot.Live && !save.pending
                onClicked: save.dispatch({
                        "name": nameField.text,
                        "bio": bioField.text
                    })
            }
            Label {
                objectName: "savedLabel"
                text: {
                    if (save.error)
                        return qsTr("Not saved: %1").arg(save.error.code || save.error.message);
                    if (profile.state && profile.state.savedAt)
                        return qsTr("Saved at %1").arg(profile.state.savedAt);
                    return "";
                }
                color: save.error ? "#b3261e" : palette.text
            }
        }
    }
}
