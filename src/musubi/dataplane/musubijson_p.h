// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QString>

#include <algorithm>
#include <cmath>
#include <optional>

namespace Musubi::detail {

// \a value as text for messages and views: objects and arrays as compact JSON, anything
// else as its plain text (a string without quotes, a number, \c true; null is empty).
inline QString compactJson(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    return value.toVariant().toString();
}

// Why a server refused something: the string \c reason of an error reply, else the reply
// itself as text (compactJson()).
inline QString reasonOf(const QJsonValue &response)
{
    const QJsonValue reason = response.toObject().value(QLatin1String("reason"));
    if (reason.isString())
        return reason.toString();
    return compactJson(response);
}

/*
    Integers read from untrusted JSON. JSON numbers may be doubles of any size, and
    converting a double outside qint64's range is undefined behaviour, so no number from
    the wire is ever cast directly.
*/

// Largest magnitude an integer read from the wire keeps: 2^53, beyond which doubles are
// no longer exact integers. Larger values are clamped to it (still "an integer": no
// stream index, limit or byte count can tell the difference).
inline constexpr qint64 MaxJsonInteger = qint64(1) << 53;

// The integer \a value holds, clamped to ±MaxJsonInteger; nullopt for anything that is
// not a number or has a fraction.
inline std::optional<qint64> jsonInteger(const QJsonValue &value)
{
    const double d = value.toDouble(0.5); // 0.5: not a number, which fails as a fraction
    if (!std::isfinite(d) || std::trunc(d) != d)
        return std::nullopt;
    // Clamped as a double, so the cast is always in range.
    return qint64(std::clamp(d, -double(MaxJsonInteger), double(MaxJsonInteger)));
}

// Like jsonInteger(), but lenient: a fraction is truncated; \a fallback for non-numbers.
inline qint64 jsonIntegerOr(const QJsonValue &value, qint64 fallback = 0)
{
    const double d = value.toDouble(std::nan(""));
    if (!std::isfinite(d))
        return fallback;
    return qint64(std::clamp(std::trunc(d), -double(MaxJsonInteger), double(MaxJsonInteger)));
}

// jsonIntegerOr(\a value) (0 for non-numbers) clamped to [\a min, \a max].
inline qint64 jsonIntegerIn(const QJsonValue &value, qint64 min, qint64 max)
{
    return std::clamp(jsonIntegerOr(value), min, max);
}

// A percentage from the wire: jsonIntegerIn(\a value, 0, 100).
inline int jsonPercent(const QJsonValue &value)
{
    return int(jsonIntegerIn(value, 0, 100));
}

} // namespace Musubi::detail
