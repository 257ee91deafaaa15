// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubicommanderror.h"
#include "musubijson_p.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

/*!
    \class MusubiCommandError
    \inmodule MusubiCore
    \inheaderfile musubicommanderror.h
    \brief Why a command did not produce a reply: the failure value of the
    QFuture returned by MusubiRoot::dispatch() and MusubiStore::dispatch().

    It is a QException, so a QFuture carries it:
    \code
    root->dispatch({}, u"checkout"_s, payload)
        .then([](const QJsonValue &reply) { ... })
        .onFailed([](const MusubiCommandError &error) { qWarning() << error.message(); });
    \endcode

    \c code() is the first string-valued field among \c code, \c error and
    \c reason of an object reply (docs/protocol.md §10.5), or a null QString.

    It is a gadget, so QML and JavaScript read it as a value with the properties
    below: the JavaScript dispatch() of MusubiStore rejects its Promise with it.
*/

/*!
    \enum MusubiCommandError::Kind

    The reason a command failed.

    \value Failed The server answered with an error reply (or, from JavaScript, the
           payload was not an object and nothing was sent).
    \value Timeout No reply within the push timeout.
    \value NotConnected The root had no channel or was not live (version 0), or the store
           tree had no command dispatcher.
    \value Disconnected The channel or socket went down while the command was pending.
    \value VersionMismatch The root entered version-gap recovery while the command was pending.
    \value Unmounted The root was unmounted while the command was pending, or the store
           had already vanished when the command was sent.
    \value MountFailed The command waited for the initial patch of a root showing cached
           state (docs/cache.md) and the server refused the mount: it was never sent.
*/

/*!
    \property MusubiCommandError::kind
    \brief why the command failed.
*/

/*!
    \property MusubiCommandError::command
    \brief the name of the command.
*/

/*!
    \property MusubiCommandError::storeId
    \brief the id of the store the command was sent to (\c [] for the root store).
*/

/*!
    \property MusubiCommandError::code
    \brief the error code of an error reply, or a null QString.

    The first string-valued field among \c code, \c error and \c reason of
    an object reply; see codeOf().
*/

/*!
    \property MusubiCommandError::message
    \brief a human-readable description of the failure.
*/

/*!
    \fn MusubiCommandError::MusubiCommandError()

    Constructs an error of kind Failed with no command, store or reply.
*/

/*!
    \property MusubiCommandError::kindName
    \brief the kind as its wire-facing snake_case name.

    One of \c failed, \c timeout, \c not_connected, \c disconnected,
    \c version_mismatch, \c unmounted and \c mount_failed.
*/

/*!
    \property MusubiCommandError::reply
    \brief the raw \c response of an error reply; undefined for other kinds.
*/

/*!
    Constructs an error of kind \a kind for the command \a command sent to
    the store \a storeId. \a reply is the response of an error reply (its
    code() is derived from it). An empty \a message is replaced by one that
    names the command and the kind.
*/

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
        case Kind::MountFailed:
            m_message = QStringLiteral("Command \"%1\": not sent, the root's mount was refused")
                                .arg(command);
            break;
        }
    }
    m_what = m_message.toUtf8();
}

QString MusubiCommandError::kindName() const
{
    return kindName(m_kind);
}

/*!
    Returns the wire-facing snake_case name of \a kind, e.g. \c not_connected.
*/
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
    case Kind::MountFailed:
        return QStringLiteral("mount_failed");
    }
    return QString();
}

/*!
    Returns the first string-valued field among \c code, \c error and
    \c reason of \a reply when it is an object, or a null QString.
*/
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
