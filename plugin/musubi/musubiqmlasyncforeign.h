// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

// QML registration of the async value status of musubi_core (docs/protocol.md §7).
#include "musubiasync.h"

#include <QtQml/qqml.h> // not only qqmlregistration.h: QML_FOREIGN needs QQmlPrivate

namespace MusubiAsyncForeign {
Q_NAMESPACE
QML_FOREIGN_NAMESPACE(MusubiAsync)
QML_NAMED_ELEMENT(MusubiAsync)
} // namespace MusubiAsyncForeign
