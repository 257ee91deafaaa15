// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <optional>

namespace Musubi::detail {

// One decoded stream op (docs/protocol.md §6.1).
struct MUSUBI_CORE_EXPORT StreamOp
{
    enum class Kind { Reset, Insert, Delete };
    Kind kind = Kind::Reset;
    QString stream;
    QStringList storeId;
    QString itemKey;
    QJsonValue item;
    qint64 at = -1;
    std::optional<qint64> limit;

    // Decodes \a op; returns nullopt and sets \a error when it is malformed.
    static std::optional<StreamOp> decode(const QJsonValue &op, QString *error);
};

// Key/item pair of a materialised stream.
struct StreamEntry
{
    QString key;
    QJsonValue item;
};

// Index for an insert against the post-removal length \a len (§6.2 step 2).
MUSUBI_CORE_EXPORT qsizetype streamInsertIndex(qint64 at, qsizetype len);

// Pure §6.2 materialisation of one op on a list (used by the model for resets and by
// tests as the reference).
MUSUBI_CORE_EXPORT void applyStreamOp(QList<StreamEntry> &list, const StreamOp &op);

} // namespace Musubi::detail
