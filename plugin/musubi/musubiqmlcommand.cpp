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

void MusubiQmlCommand::setRoot(MusubiRoot *root)
{
    if (m_root == root)
        return;
    disconnect(m_rootDestroyed);
    m_root = root;
    if (root) {
        m_rootDestroyed = connect(root, &QObject::destroyed, this, [this] {
            m_root = nullptr;
            Q_EMIT rootChanged();
        });
    }
    Q_EMIT rootChanged();
}

void MusubiQmlCommand::setStoreId(const QVariantList &storeId)
{
    const QJsonArray id = QJsonArray::fromVariantList(storeId);
    if (m_storeId == id)
        return;
    m_storeId = id;
    Q_EMIT storeIdChanged();
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
    const QJsonObject body = QJsonObject::fromVariantMap(payload);
    if (m_store) {
        future = m_store->isAlive()
                ? m_store->dispatch(command, body)
                : QtFuture::makeExceptionalFuture<QJsonValue>(MusubiCommandError(
                        MusubiCommandError::Kind::NotConnected, command, m_store->storeIdJson(),
                        QJsonValue::Undefined, u"the store of the MusubiCommand vanished"_s));
    } else if (m_root) {
        future = m_root->dispatch(m_storeId, command, body);
    } else {
        // Same shape as the runtime's own refusal, so QML handles one kind of error.
        future = QtFuture::makeExceptionalFuture<QJsonValue>(MusubiCommandError(
                MusubiCommandError::Kind::NotConnected, command, m_storeId, QJsonValue::Undefined,
                u"MusubiCommand has neither a store nor a root"_s));
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
            [this, generation](const MusubiCommandError &error) {
                if (generation != m_generation)
                    return;
                setOutcome(QVariant(), QVariant::fromValue(error));
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
