// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Musubi
import MusubiDemoTypedStores

// Demo.TodoStore through the typed DemoTodoStoreRoot: each todo is a child
// store with its own commands (the "todos" field is a list model whose rows are
// DemoTodoItemStore views, one per todo); "stats" is an async value (loading,
// then ok) shown with a busy indicator.
DemoPage {
    id: page

    // The async "stats" value: loading until the root is live.
    readonly property int statsStatus: todos.state ? todos.state.stats.status : MusubiAsync.Loading

    root: todos
    ready: todos.ready && todos.state !== null && page.statsStatus === MusubiAsync.Ok
    summary: todos.state ? qsTr("%1 todos").arg(list.count) : ""

    DemoTodoStoreRoot {
        id: todos
        connection: page.connection
        instanceId: "qml"
    }

    MusubiCommand {
        id: add
        store: todos.state ? todos.state.store : null
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
                text: todos.state ? todos.state.title : ""
                font.pixelSize: 20
                font.bold: true
                Layout.fillWidth: true
            }
            BusyIndicator {
                objectName: "statsBusy"
                running: todos.state !== null && page.statsStatus === MusubiAsync.Loading
                implicitWidth: 28
                implicitHeight: 28
            }
            Label {
                objectName: "statsLabel"
                text: {
                    // result: the {total, done, open} value, null until there is one.
                    const counts = todos.state ? todos.state.stats.result : null;
                    if (!counts)
                        return qsTr("counting…");
                    return qsTr("%1 of %2 done · %3 open").arg(counts.done).arg(counts.total).arg(counts.open);
                }
                opacity: todos.state !== null && page.statsStatus === MusubiAsync.Loading ? 0.5 : 1
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
                // A list of child stores is a MusubiTypedStoreListModel: adding or
                // removing a todo inserts or removes one row, the other delegates stay.
                model: todos.state ? todos.state.todos : null

                delegate: ItemDelegate {
                    id: row

                    // Each todo is its own store: the typed view of its fields and
                    // commands.
                    required property DemoTodoItemStore store
                    readonly property DemoTodoItemStore todo: row.store

                    width: ListView.view.width
                    contentItem: RowLayout {
                        CheckBox {
                            checkable: false
                            checked: row.todo ? row.todo.done : false
                            onClicked: row.todo.toggle()
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
                            onClicked: row.todo.remove()
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
                readonly property int count: todos.state && todos.state.todos ? todos.state.todos.count : 0
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
