// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QException>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonValue>
#include <QtCore/QMetaType>
#include <QtCore/QObject>
#include <QtCore/QString>

/*!
    \class MusubiCommandError
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
*/
class MUSUBI_CORE_EXPORT MusubiCommandError : public QException
{
    Q_GADGET
    Q_PROPERTY(Kind kind READ kind CONSTANT)
    Q_PROPERTY(QString kindName READ kindName CONSTANT)
    Q_PROPERTY(QString command READ command CONSTANT)
    Q_PROPERTY(QJsonArray storeId READ storeId CONSTANT)
    Q_PROPERTY(QJsonValue reply READ reply CONSTANT)
    Q_PROPERTY(QString code READ code CONSTANT)
    Q_PROPERTY(QString message READ message CONSTANT)
public:
    //! The reason a command failed.
    enum class Kind {
        Failed, //!< The server answered with an error reply.
        Timeout, //!< No reply within the push timeout.
        NotConnected, //!< The root had no channel or was not live (version 0).
        Disconnected, //!< The channel or socket went down while the command was pending.
        VersionMismatch, //!< The root entered version-gap recovery while the command was pending.
        Unmounted, //!< The root was unmounted while the command was pending.
    };
    Q_ENUM(Kind)

    MusubiCommandError() = default;
    MusubiCommandError(Kind kind, const QString &command, const QJsonArray &storeId,
                       const QJsonValue &reply = QJsonValue(QJsonValue::Undefined),
                       const QString &message = QString());

    Kind kind() const { return m_kind; }
    //! The kind as the wire-facing snake_case name: \c failed, \c timeout, \c not_connected, ...
    QString kindName() const;
    QString command() const { return m_command; }
    QJsonArray storeId() const { return m_storeId; }
    //! The raw \c response of an error reply; undefined for other kinds.
    QJsonValue reply() const { return m_reply; }
    QString code() const { return m_code; }
    QString message() const { return m_message; }

    //! The first string among \c code, \c error, \c reason of \a reply, or a null QString.
    static QString codeOf(const QJsonValue &reply);
    static QString kindName(Kind kind);

    void raise() const override { throw *this; }
    MusubiCommandError *clone() const override { return new MusubiCommandError(*this); }
    const char *what() const noexcept override;

private:
    Kind m_kind = Kind::Failed;
    QString m_command;
    QJsonArray m_storeId;
    QJsonValue m_reply;
    QString m_code;
    QString m_message;
    QByteArray m_what;
};

Q_DECLARE_METATYPE(MusubiCommandError)
