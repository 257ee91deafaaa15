import QtQuick
import QtQuick.Controls
import Musubi

ApplicationWindow {
    id: window
    width: 320
    height: 240
    visible: true
    title: "Hello Musubi"

    // The server's Phoenix socket; main.cpp passes the command line's URL, if any.
    property string url: "ws://127.0.0.1:4000/socket"

    MusubiConnection { id: server; url: window.url }
    MusubiRoot {
        id: counter
        connection: server
        module: "Demo.CounterStore"      // the Elixir store module
        instanceId: "main"               // the mount's id (`id` is reserved in QML)
    }
    // Store fields are dynamic: hold the store in a `var` property (qmllint-clean on 6.4).
    readonly property var store: counter.store
    MusubiCommand { id: increment; root: counter; name: "increment" }   // to the root store

    Column {
        anchors.fill: parent
        spacing: 12
        MusubiStatusBanner { width: parent.width; connection: server; root: counter }
        Label {
            anchors.horizontalCenter: parent.horizontalCenter
            text: window.store ? "" + window.store.count : "…"
            font.pixelSize: 64
        }
        Button {
            anchors.horizontalCenter: parent.horizontalCenter
            text: "+1"
            // The server owns the count: the label changes when its patch arrives.
            enabled: counter.status === MusubiRoot.Live && !increment.pending
            onClicked: increment.dispatch({ amount: 1 })
        }
    }
}
