// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QJsonValue>

#include <algorithm>
#include <cmath>
#include <optional>

namespace Musubi::detail {

/*
    Integers read from untrusted JSON. JSON numbers may be doubles of any size, and
    converting a double outside qint64's range is undefined behaviour, so no number from
    the wire is ever cast directly.
*/

//! Largest magnitude an integer read from the wire keeps: 2^53, beyond which doubles are
//! no longer exact integers. Larger values are clamped to it (still "an integer": no
//! stream index, limit or byte count can tell the difference).
inline constexpr qint64 MaxJsonInteger = qint64(1) << 53;

//! The integer \a value holds, clamped to ±MaxJsonInteger; nullopt for anything that is
//! not a number or has a fraction.
inline std::optional<qint64> jsonInteger(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    // toInteger() refuses fractions and values outside qint64: probe with two fallbacks.
    const qint64 exact = value.toInteger(0);
    if (exact != 0 || value.toInteger(1) == 0)
        return std::clamp(exact, -MaxJsonInteger, MaxJsonInteger);
    const double d = value.toDouble();
    if (!std::isfinite(d) || std::trunc(d) != d)
        return std::nullopt;
    return d < 0 ? -MaxJsonInteger : MaxJsonInteger; // a double beyond qint64
}

//! Like jsonInteger(), but lenient: a fraction is truncated; \a fallback for non-numbers.
inline qint64 jsonIntegerOr(const QJsonValue &value, qint64 fallback = 0)
{
    if (const std::optional<qint64> integer = jsonInteger(value))
        return *integer;
    const double d = value.toDouble(std::nan(""));
    if (!std::isfinite(d))
        return fallback;
    return qint64(std::trunc(d)); // |d| < 2^53 here: it has a fraction
}

//! jsonIntegerOr(\a value) (0 for non-numbers) clamped to [\a min, \a max].
inline qint64 jsonIntegerIn(const QJsonValue &value, qint64 min, qint64 max)
{
    return std::clamp(jsonIntegerOr(value), min, max);
}

//! A percentage from the wire: jsonIntegerIn(\a value, 0, 100).
inline int jsonPercent(const QJsonValue &value)
{
    return int(jsonIntegerIn(value, 0, 100));
}

} // namespace Musubi::detail
