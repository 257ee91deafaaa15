// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiqmlcommand.h"

#include "musubicommandwatch_p.h"

#include <QtCore/QJsonObject>
#include <QtCore/QLoggingCategory>

using namespace Qt::StringLiterals;

MusubiQmlCommand::MusubiQmlCommand(QObject *parent)
    : QObject(parent)
{ }

MusubiQmlCommand::~MusubiQmlCommand() = default;

void MusubiQmlCommand::setStore(MusubiStore *store)
{
    if (m_store == store)
        return;
    disconnect(m_storeDestroyed);
    m_store = store;
    // QPointer alone would read null but not tell bindings; say it out loud.
    if (store) {
        m_storeDestroyed = connect(store, &QObject::destroyed, this, [this] {
            m_store = nullptr;
            Q_EMIT storeChanged();
        });
    }
    Q_EMIT storeChanged();
}

void MusubiQmlCommand::setName(const QString &name)
{
    if (m_name == name)
        return;
    m_name = name;
    Q_EMIT nameChanged();
}

void MusubiQmlCommand::dispatch(const QVariantMap &payload)
{
    const quint64 generation = ++m_generation;
    const QString command = m_name;
    // A new attempt starts clean; the previous reply stays until replaced.
    setOutcome(m_reply, QVariant::fromValue(nullptr));
    setPending(true);

    QFuture<QJsonValue> future;
    if (m_store && m_store->isAlive()) {
        future = m_store->dispatch(command, QJsonObject::fromVariantMap(payload));
    } else {
        // Same shape as the runtime's own refusal, so QML handles one kind of error.
        future = QtFuture::makeExceptionalFuture<QJsonValue>(
                MusubiCommandError(MusubiCommandError::Kind::NotConnected, command, {},
                                   QJsonValue::Undefined, u"MusubiCommand has no store"_s));
    }
    Musubi::detail::whenCommandFinished(
            future, this, command,
            [this, generation](const QJsonValue &reply) {
                if (generation != m_generation)
                    return;
                const QVariant value = reply.toVariant();
                setOutcome(value, QVariant::fromValue(nullptr));
                setPending(false);
                Q_EMIT succeeded(value);
            },
            [this, generation](const QVariantMap &error) {
                if (generation != m_generation)
                    return;
                setOutcome(QVariant(), error);
                setPending(false);
                Q_EMIT failed(error);
            });
}

void MusubiQmlCommand::reset()
{
    ++m_generation;
    setOutcome(QVariant(), QVariant::fromValue(nullptr));
    setPending(false);
}

void MusubiQmlCommand::setPending(bool pending)
{
    if (m_pending == pending)
        return;
    m_pending = pending;
    Q_EMIT pendingChanged();
}

void MusubiQmlCommand::setOutcome(const QVariant &reply, const QVariant &error)
{
    if (m_reply != reply) {
        m_reply = reply;
        Q_EMIT replyChanged();
    }
    if (m_error != error) {
        m_error = error;
        Q_EMIT errorChanged();
    }
}
