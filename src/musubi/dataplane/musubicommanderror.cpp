// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubicommanderror.h"
#include "musubijson_p.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

MusubiCommandError::MusubiCommandError(Kind kind, const QString &command, const QJsonArray &storeId,
                                       const QJsonValue &reply, const QString &message)
    : m_kind(kind)
    , m_command(command)
    , m_storeId(storeId)
    , m_reply(reply)
    , m_code(codeOf(reply))
    , m_message(message)
{
    if (m_message.isEmpty()) {
        switch (kind) {
        case Kind::Failed: {
            QString detail = m_code;
            if (detail.isNull())
                detail = Musubi::detail::compactJson(reply);
            m_message = QStringLiteral("Command \"%1\" failed: %2").arg(command, detail);
            break;
        }
        case Kind::Timeout:
            m_message = QStringLiteral("Command \"%1\" timed out").arg(command);
            break;
        case Kind::NotConnected:
            m_message = QStringLiteral("Command \"%1\": store is not connected").arg(command);
            break;
        case Kind::Disconnected:
            m_message = QStringLiteral("Command \"%1\": disconnected").arg(command);
            break;
        case Kind::VersionMismatch:
            m_message = QStringLiteral("Command \"%1\": version mismatch").arg(command);
            break;
        case Kind::Unmounted:
            m_message = QStringLiteral("Command \"%1\": unmounted").arg(command);
            break;
        }
    }
    m_what = m_message.toUtf8();
}

QString MusubiCommandError::kindName() const
{
    return kindName(m_kind);
}

QString MusubiCommandError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Failed:
        return QStringLiteral("failed");
    case Kind::Timeout:
        return QStringLiteral("timeout");
    case Kind::NotConnected:
        return QStringLiteral("not_connected");
    case Kind::Disconnected:
        return QStringLiteral("disconnected");
    case Kind::VersionMismatch:
        return QStringLiteral("version_mismatch");
    case Kind::Unmounted:
        return QStringLiteral("unmounted");
    }
    return QString();
}

QString MusubiCommandError::codeOf(const QJsonValue &reply)
{
    if (!reply.isObject())
        return QString();
    const QJsonObject object = reply.toObject();
    for (const auto key :
         {QLatin1String("code"), QLatin1String("error"), QLatin1String("reason")}) {
        const QJsonValue value = object.value(key);
        if (value.isString())
            return value.toString();
    }
    return QString();
}

const char *MusubiCommandError::what() const noexcept
{
    return m_what.constData();
}
