// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

//
//  W A R N I N G
//  -------------
// This file is not part of the public API. It may change without notice.
//

#include <QtCore/QLoggingCategory>

// musubi.phoenix: the Phoenix Channels client (defined in phoenixmessage.cpp).
Q_DECLARE_LOGGING_CATEGORY(lcPhoenix)
