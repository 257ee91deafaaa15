// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiasync.h"

#include <QtCore/QVariantMap>

using namespace Qt::StringLiterals;

// The one place where async statuses meet their wire strings (docs/protocol.md §7).
std::optional<MusubiAsync::Status> MusubiAsync::statusFromWire(QStringView wire)
{
    if (wire == "loading"_L1)
        return Status::Loading;
    if (wire == "ok"_L1)
        return Status::Ok;
    if (wire == "failed"_L1)
        return Status::Failed;
    return std::nullopt;
}

QString MusubiAsync::wireStatus(Status status)
{
    switch (status) {
    case Status::Loading:
        return u"loading"_s;
    case Status::Ok:
        return u"ok"_s;
    case Status::Failed:
        return u"failed"_s;
    }
    return QString();
}

std::optional<MusubiAsync::Status> MusubiAsync::statusOf(const QVariant &value)
{
    if (value.metaType() != QMetaType::fromType<QVariantMap>())
        return std::nullopt;
    const QVariant status = value.toMap().value(u"status"_s);
    if (status.metaType() != QMetaType::fromType<Status>())
        return std::nullopt;
    return status.value<Status>();
}
