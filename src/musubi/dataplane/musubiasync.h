// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QVariant>

#include <optional>

// The status of an async value (docs/protocol.md §7).
namespace MusubiAsync {
Q_NAMESPACE_EXPORT(MUSUBI_CORE_EXPORT)

enum class Status { Loading, Ok, Failed };
Q_ENUM_NS(Status)

MUSUBI_CORE_EXPORT std::optional<Status> statusFromWire(QStringView wire);
MUSUBI_CORE_EXPORT QString wireStatus(Status status);
MUSUBI_CORE_EXPORT std::optional<Status> statusOf(const QVariant &value);
} // namespace MusubiAsync
