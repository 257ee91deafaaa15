// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

//
//  W A R N I N G
//  -------------
// This file is not part of the public API. It may change without notice.
//

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QString>

namespace Musubi::detail {

// A JSON value as one line of JSON text (a string keeps its quotes); empty for undefined.
inline QString inspectorJsonText(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    if (value.isString())
        return u'"' + value.toString() + u'"';
    if (value.isUndefined())
        return QString();
    // A scalar: serialised inside an array, the brackets stripped.
    const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
}

// inspectorJsonText() cut to \a max characters: a row stays one line.
inline QString inspectorPreview(const QJsonValue &value, qsizetype max)
{
    QString text = inspectorJsonText(value);
    if (text.size() > max)
        text = text.left(max - 1) + u'…';
    return text;
}

} // namespace Musubi::detail
