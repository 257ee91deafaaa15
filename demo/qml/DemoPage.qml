// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import Musubi

// Base of every demo page: the connection it mounts its root on, the root
// (for the status banner), whether its data is on screen (MusubiRoot.ready:
// the state is shown, also while reconnecting and when it was read from the
// mount cache) and a few words on what it shows.
Pane {
    required property MusubiConnection connection
    property MusubiRoot root: null
    property bool ready: root !== null && root.ready
    property string summary: ""

    padding: 0
    background: null
}
