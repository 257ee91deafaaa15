// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import Musubi

// Demo.ProfileStore: a form saved with the "save" command, and the "avatar"
// upload. The transfer itself waits for the upload API of MusubiUpload: the
// file can be chosen, the upload section stays disabled until then.
DemoPage {
    id: page

    readonly property var store: profile.store

    root: profile

    MusubiRoot {
        id: profile
        connection: page.connection
        module: "Demo.ProfileStore"
        instanceId: "qml"
    }

    MusubiCommand {
        id: save
        store: profile.store
        name: "save"
    }

    FileDialog {
        id: avatarDialog
        title: qsTr("Choose an avatar")
        nameFilters: [qsTr("Images (*.png *.jpg)")]
        onAccepted: avatarFile.text = ("" + avatarDialog.selectedFile).replace(/^.*\//, "")
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
            text: page.store ? page.store.name : ""
        }

        Label {
            text: qsTr("Bio")
        }
        TextField {
            id: bioField
            Layout.fillWidth: true
            text: page.store ? page.store.bio : ""
        }

        Label {
            text: qsTr("Avatar")
        }
        RowLayout {
            Layout.fillWidth: true
            Button {
                text: qsTr("Choose…")
                onClicked: avatarDialog.open()
            }
            Label {
                id: avatarFile
                Layout.fillWidth: true
                text: page.store && page.store.avatar_url ? page.store.avatar_url : qsTr("no file chosen")
                elide: Text.ElideMiddle
                opacity: 0.7
            }
        }

        Item {
            implicitWidth: 1
            implicitHeight: 1
        }
        ColumnLayout {
            Layout.fillWidth: true
            enabled: false
            ProgressBar {
                Layout.fillWidth: true
                value: 0
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                opacity: 0.7
                text: qsTr("Avatar uploads (.png or .jpg, up to 1 MB) are not available in this build yet.")
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
                    if (page.store && page.store.saved_at)
                        return qsTr("Saved at %1").arg(page.store.saved_at);
                    return "";
                }
                color: save.error ? "#b3261e" : palette.text
            }
        }
    }
}
