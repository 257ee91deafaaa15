// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QString>

// JSON literals in tests: single quotes stand for double quotes to keep rows readable.
inline QJsonValue json(const char *text)
{
    QByteArray bytes(text);
    bytes.replace('\'', '"');
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + bytes + "]", &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad JSON in test: %s (%s)", text, qPrintable(error.errorString()));
    return doc.array().at(0);
}

inline QJsonObject envelope(const QJsonValue &ops, const QJsonValue &streamOps = QJsonArray(),
                            const QJsonValue &uploadOps = QJsonArray())
{
    QJsonObject env;
    env.insert(QLatin1String("type"), QLatin1String("patch"));
    env.insert(QLatin1String("ops"), ops);
    env.insert(QLatin1String("stream_ops"), streamOps);
    env.insert(QLatin1String("upload_ops"), uploadOps);
    return env;
}

inline QJsonObject mountEnvelope(const QJsonValue &root, const QJsonValue &streamOps = QJsonArray())
{
    QJsonObject op;
    op.insert(QLatin1String("op"), QLatin1String("replace"));
    op.insert(QLatin1String("path"), QString());
    op.insert(QLatin1String("value"), root);
    return envelope(QJsonArray{op}, streamOps);
}

inline QByteArray compact(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    return QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
}
