// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
// The root item of MusubiInspectorWidget: the inspector panel of the module
// Musubi.Inspector, sized to the widget.
import Musubi.Inspector

MusubiInspector {}
