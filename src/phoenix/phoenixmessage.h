// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "phoenixglobal.h"

#include <QtCore/QByteArray>
#include <QtCore/QJsonValue>
#include <QtCore/QLoggingCategory>
#include <QtCore/QString>

#include <optional>

struct MUSUBI_PHOENIX_EXPORT PhoenixMessage
{
    QString joinRef;
    QString ref;
    QString topic;
    QString event;
    QJsonValue payload;
    QByteArray binaryPayload;
    bool isBinary = false;

    friend bool operator==(const PhoenixMessage &, const PhoenixMessage &) = default;
};

namespace PhoenixSerializer {

enum class BinaryKind : quint8 { Push = 0, Reply = 1, Broadcast = 2 };

MUSUBI_PHOENIX_EXPORT QByteArray encodeText(const PhoenixMessage &message);

MUSUBI_PHOENIX_EXPORT std::optional<QByteArray> encodeBinaryPush(const PhoenixMessage &message,
                                                                 QString *error = nullptr);

MUSUBI_PHOENIX_EXPORT std::optional<PhoenixMessage> decodeText(const QByteArray &frame,
                                                               QString *error = nullptr);

MUSUBI_PHOENIX_EXPORT std::optional<PhoenixMessage> decodeBinaryPush(const QByteArray &frame,
                                                                     QString *error = nullptr);

MUSUBI_PHOENIX_EXPORT std::optional<PhoenixMessage> decodeBinary(const QByteArray &frame,
                                                                 QString *error = nullptr);

} // namespace PhoenixSerializer
