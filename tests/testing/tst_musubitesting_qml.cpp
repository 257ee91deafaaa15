// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include <QtQuickTest/quicktest.h>

// RawClient (qmlrawclient.h) is registered by this executable's own QML module,
// MusubiTestingTests (see CMakeLists.txt).
QUICK_TEST_MAIN(tst_musubitesting_qml)
