// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qglobal.h>

#if defined(MUSUBI_PHOENIX_BUILD)
#define MUSUBI_PHOENIX_EXPORT Q_DECL_EXPORT
#else
#define MUSUBI_PHOENIX_EXPORT Q_DECL_IMPORT
#endif
