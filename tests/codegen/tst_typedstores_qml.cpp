// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include <QtQuickTest/quicktest.h>

QUICK_TEST_MAIN(typedstores)
