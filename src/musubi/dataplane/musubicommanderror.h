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
    enum class Kind {
        Failed,
        Timeout,
        NotConnected,
        Disconnected,
        VersionMismatch,
        Unmounted,
        MountFailed,
    };
    Q_ENUM(Kind)

    MusubiCommandError() = default;
    MusubiCommandError(Kind kind, const QString &command, const QJsonArray &storeId,
                       const QJsonValue &reply = QJsonValue(QJsonValue::Undefined),
                       const QString &message = QString());

    Kind kind() const { return m_kind; }
    QString kindName() const;
    QString command() const { return m_command; }
    QJsonArray storeId() const { return m_storeId; }
    QJsonValue reply() const { return m_reply; }
    QString code() const { return m_code; }
    QString message() const { return m_message; }

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
