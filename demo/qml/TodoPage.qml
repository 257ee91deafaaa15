// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Musubi

// Demo.TodoStore: each todo is a child store with its own commands (the
// "todos" field is a MusubiStoreListModel, one row per todo); "stats"
// is an async value (loading, then ok) shown with a busy indicator.
DemoPage {
    id: page

    readonly property var store: todos.store
    readonly property var stats: page.store ? page.store.stats : undefined

    root: todos
    ready: todos.ready && page.stats !== undefined && page.stats.status === MusubiAsync.Ok

    MusubiRoot {
        id: todos
        connection: page.connection
        module: "Demo.TodoStore"
        instanceId: "qml"
    }

    MusubiCommand {
        id: add
        store: todos.store
        name: "add"
        onSucceeded: newTitle.clear()
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        RowLayout {
            Layout.fillWidth: true
            spacing: 12

            Label {
                text: page.store ? page.store.title : ""
                font.pixelSize: 20
                font.bold: true
                Layout.fillWidth: true
            }
            BusyIndicator {
                objectName: "statsBusy"
                running: page.stats !== undefined && page.stats.status === MusubiAsync.Loading
                implicitWidth: 28
                implicitHeight: 28
            }
            Label {
                objectName: "statsLabel"
                readonly property var counts: page.stats !== undefined ? page.stats.data : null
                text: {
                    if (!counts)
                        return qsTr("counting…");
                    return qsTr("%1 of %2 done · %3 open").arg(counts.done).arg(counts.total).arg(counts.open);
                }
                opacity: page.stats !== undefined && page.stats.status === MusubiAsync.Loading ? 0.5 : 1
            }
        }

        Frame {
            Layout.fillWidth: true
            Layout.fillHeight: true
            padding: 4

            ListView {
                id: list
                objectName: "todoList"
                anchors.fill: parent
                clip: true
                // A list of child stores is a MusubiStoreListModel: adding or removing a
                // todo inserts or removes one row, the other delegates stay.
                model: page.store ? page.store.todos : null

                delegate: ItemDelegate {
                    id: row

                    // Each todo is its own MusubiStore: its fields and its commands.
                    required property var store
                    readonly property var todo: store

                    width: ListView.view.width
                    contentItem: RowLayout {
                        CheckBox {
                            checkable: false
                            checked: row.todo ? row.todo.done : false
                            onClicked: row.todo.dispatch("toggle")
                        }
                        Label {
                            Layout.fillWidth: true
                            text: row.todo ? row.todo.title : ""
                            font.strikeout: row.todo ? row.todo.done : false
                            opacity: row.todo && row.todo.done ? 0.6 : 1
                            elide: Text.ElideRight
                        }
                        ToolButton {
                            text: "✕"
                            onClicked: row.todo.dispatch("remove")
                        }
                    }
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true

            TextField {
                id: newTitle
                objectName: "newTodo"
                Layout.fillWidth: true
                placeholderText: qsTr("New todo")
                onAccepted: add.dispatch({
                        "title": newTitle.text
                    })
            }
            Label {
                objectName: "todoCount"
                // A MusubiStoreListModel counts with `count` (a plain list had `length`).
                // A list that was empty when the page first saw it is a plain [] until
                // its first todo arrives: count either.
                readonly property var todoList: page.store ? page.store.todos : null
                readonly property int count: todoList ? (todoList.count ?? todoList.length) : 0
                text: count === 1 ? qsTr("1 todo") : qsTr("%1 todos").arg(count)
                opacity: 0.7
            }
            Button {
                text: qsTr("Add")
                highlighted: true
                enabled: todos.status === MusubiRoot.Live && newTitle.text.length > 0
                onClicked: add.dispatch({
                        "title": newTitle.text
                    })
            }
        }
    }
}
