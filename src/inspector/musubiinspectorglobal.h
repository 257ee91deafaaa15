// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qglobal.h>

#if defined(MUSUBI_INSPECTOR_BUILD)
#define MUSUBI_INSPECTOR_EXPORT Q_DECL_EXPORT
#else
#define MUSUBI_INSPECTOR_EXPORT Q_DECL_IMPORT
#endif
