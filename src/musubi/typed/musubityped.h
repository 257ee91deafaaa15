// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QList>
#include <QtCore/QMetaEnum>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVariant>
#include <QtQml/QJSValue>

#include <optional>
#include <type_traits>

// The value conversions of the code musubi-codegen writes (docs/codegen.md).
// Each musubiFromJson() overload reads one wire value into a C++ value and returns
// false when the value has another type (the target keeps its default then); each
// musubiToJson() writes one back. The generator adds overloads for the enums and value
// types it declares, in their own namespace (found by argument-dependent lookup).

// std::optional<T> whose value converts to a QVariant (null when empty): the C++
// getter type of a `T | nil` field, whose Q_PROPERTY type is QVariant.
template<typename T>
class MusubiOptional : public std::optional<T>
{
public:
    MusubiOptional() = default;
    MusubiOptional(std::nullopt_t) { }
    MusubiOptional(const T &value)
        : std::optional<T>(value)
    { }
    MusubiOptional(const std::optional<T> &other)
        : std::optional<T>(other)
    { }
    QVariant toVariant() const
    {
        // std::nullptr_t: QML reads null (an invalid QVariant would read undefined).
        return this->has_value() ? QVariant::fromValue(this->value())
                                 : QVariant::fromValue(nullptr);
    }
};

namespace MusubiTyped {

MUSUBI_CORE_EXPORT bool musubiFromJson(const QJsonValue &value, QString *out);
MUSUBI_CORE_EXPORT bool musubiFromJson(const QJsonValue &value, qint64 *out);
MUSUBI_CORE_EXPORT bool musubiFromJson(const QJsonValue &value, double *out);
MUSUBI_CORE_EXPORT bool musubiFromJson(const QJsonValue &value, bool *out);
MUSUBI_CORE_EXPORT bool musubiFromJson(const QJsonValue &value, QJsonObject *out);
MUSUBI_CORE_EXPORT bool musubiFromJson(const QJsonValue &value, QJsonValue *out);
MUSUBI_CORE_EXPORT bool musubiFromJson(const QJsonValue &value, QStringList *out);

inline QJsonValue musubiToJson(const QString &value)
{
    return value;
}
inline QJsonValue musubiToJson(qint64 value)
{
    return value;
}
inline QJsonValue musubiToJson(double value)
{
    return value;
}
inline QJsonValue musubiToJson(bool value)
{
    return value;
}
inline QJsonValue musubiToJson(const QJsonObject &value)
{
    return value;
}
inline QJsonValue musubiToJson(const QJsonValue &value)
{
    return value;
}
inline QJsonValue musubiToJson(const QStringList &value)
{
    return QJsonArray::fromStringList(value);
}

// The templates, declared before any of them uses another.
template<typename T>
bool musubiFromJson(const QJsonValue &value, MusubiOptional<T> *out);
template<typename T>
QJsonValue musubiToJson(const MusubiOptional<T> &value);
template<typename T>
bool musubiFromJson(const QJsonValue &value, QList<T> *out);
template<typename T>
QJsonValue musubiToJson(const QList<T> &value);
template<typename T>
bool musubiFromJs(const QJSValue &value, T *out);
template<typename T>
bool musubiFromJs(const QJSValue &value, MusubiOptional<T> *out);

// An enum declared with Q_ENUM whose wire strings the generator lists: reads a wire
// string (\a wire[i] is the string of the enumerator with value i).
template<typename E, qsizetype N>
bool musubiEnumFromJson(const QJsonValue &value, E *out, const char16_t *const (&wire)[N])
{
    if (!value.isString())
        return false;
    const QString text = value.toString();
    for (qsizetype i = 0; i < N; ++i) {
        if (text == QStringView(wire[i])) {
            *out = static_cast<E>(i);
            return true;
        }
    }
    return false;
}

template<typename E, qsizetype N>
QJsonValue musubiEnumToJson(E value, const char16_t *const (&wire)[N])
{
    const auto i = static_cast<qsizetype>(value);
    return i >= 0 && i < N ? QJsonValue(QString::fromUtf16(wire[i])) : QJsonValue();
}

template<typename T>
bool musubiFromJson(const QJsonValue &value, MusubiOptional<T> *out)
{
    if (value.isNull() || value.isUndefined()) {
        out->reset();
        return true;
    }
    T inner{};
    if (!musubiFromJson(value, &inner))
        return false;
    *out = std::move(inner);
    return true;
}

template<typename T>
QJsonValue musubiToJson(const MusubiOptional<T> &value)
{
    return value.has_value() ? musubiToJson(*value) : QJsonValue(QJsonValue::Null);
}

template<typename T>
bool musubiFromJson(const QJsonValue &value, QList<T> *out)
{
    if (!value.isArray())
        return false;
    const QJsonArray array = value.toArray();
    QList<T> list;
    list.reserve(array.size());
    for (const QJsonValue &item : array) {
        T converted{};
        if (!musubiFromJson(item, &converted))
            return false;
        list.append(std::move(converted));
    }
    *out = std::move(list);
    return true;
}

template<typename T>
QJsonValue musubiToJson(const QList<T> &value)
{
    QJsonArray array;
    for (const T &item : value)
        array.append(musubiToJson(item));
    return array;
}

// A JavaScript argument of a generated command method, read as \a T: an enum also
// accepts its enumerator's number (what `ABName.Unread` is in QML).
template<typename T>
bool musubiFromJs(const QJSValue &value, T *out)
{
    if constexpr (std::is_enum_v<T>) {
        if (value.isNumber()) {
            const int number = value.toInt();
            if (double(number) != value.toNumber() || !QMetaEnum::fromType<T>().valueToKey(number))
                return false;
            *out = static_cast<T>(number);
            return true;
        }
    }
    if (value.isUndefined())
        return musubiFromJson(QJsonValue(QJsonValue::Null), out);
    return musubiFromJson(QJsonValue::fromVariant(value.toVariant()), out);
}

template<typename T>
bool musubiFromJs(const QJSValue &value, MusubiOptional<T> *out)
{
    if (value.isNull() || value.isUndefined()) {
        out->reset();
        return true;
    }
    T inner{};
    if (!musubiFromJs(value, &inner))
        return false;
    *out = std::move(inner);
    return true;
}

} // namespace MusubiTyped

namespace MusubiTyped {

// The QML face of a list property of the generated code.
template<typename T>
QVariantList toVariantList(const QList<T> &list)
{
    QVariantList out;
    out.reserve(list.size());
    for (const T &item : list)
        out.append(QVariant::fromValue(item));
    return out;
}

// Logs (musubi.codegen) that \a what of a store of module \a module held \a value,
// which is not \a expected; its fields read as their defaults.
MUSUBI_CORE_EXPORT void warnValue(const QString &module, const QString &what, const char *expected,
                                  const QJsonValue &value);

} // namespace MusubiTyped
