// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubityped.h"

#include <cmath>

namespace MusubiTyped {

bool musubiFromJson(const QJsonValue &value, QString *out)
{
    if (!value.isString())
        return false;
    *out = value.toString();
    return true;
}

bool musubiFromJson(const QJsonValue &value, qint64 *out)
{
    if (!value.isDouble())
        return false;
    const double number = value.toDouble();
    // Integers past 2^53 arrive as doubles; an integral one is still an integer.
    // Past ±2^63 the cast below would be undefined.
    if (!std::isfinite(number) || std::trunc(number) != number || number >= 9.223372036854775808e18
        || number < -9.223372036854775808e18)
        return false;
    *out = value.toInteger(qint64(number));
    return true;
}

bool musubiFromJson(const QJsonValue &value, double *out)
{
    if (!value.isDouble())
        return false;
    *out = value.toDouble();
    return true;
}

bool musubiFromJson(const QJsonValue &value, bool *out)
{
    if (!value.isBool())
        return false;
    *out = value.toBool();
    return true;
}

bool musubiFromJson(const QJsonValue &value, QJsonObject *out)
{
    if (!value.isObject())
        return false;
    *out = value.toObject();
    return true;
}

bool musubiFromJson(const QJsonValue &value, QJsonValue *out)
{
    *out = value;
    return true;
}

bool musubiFromJson(const QJsonValue &value, QStringList *out)
{
    if (!value.isArray())
        return false;
    QStringList list;
    const QJsonArray array = value.toArray();
    list.reserve(array.size());
    for (const QJsonValue &item : array) {
        if (!item.isString())
            return false;
        list.append(item.toString());
    }
    *out = std::move(list);
    return true;
}

} // namespace MusubiTyped
