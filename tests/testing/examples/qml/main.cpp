// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include <QtQuickTest/quicktest.h>

// Runs every tst_*.qml next to this file (-input) with the project's QML
// modules on the import path (-import, given by ctest).
QUICK_TEST_MAIN(counterexample)
