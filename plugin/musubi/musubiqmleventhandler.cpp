// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiqmleventhandler.h"

MusubiQmlEventHandler::MusubiQmlEventHandler(QObject *parent)
    : QObject(parent)
{ }

MusubiQmlEventHandler::~MusubiQmlEventHandler() = default;

void MusubiQmlEventHandler::setStore(MusubiStore *store)
{
    if (m_store == store)
        return;
    disconnect(m_storeEvents);
    disconnect(m_storeDestroyed);
    m_store = store;
    if (store) {
        m_storeEvents =
                connect(store, &MusubiStore::eventReceived, this, &MusubiQmlEventHandler::deliver);
        m_storeDestroyed = connect(store, &QObject::destroyed, this, [this] {
            m_store = nullptr;
            Q_EMIT storeChanged();
        });
    }
    Q_EMIT storeChanged();
}

void MusubiQmlEventHandler::setRoot(MusubiRoot *root)
{
    if (m_root == root)
        return;
    disconnect(m_rootEvents);
    disconnect(m_rootDestroyed);
    m_root = root;
    if (root) {
        m_rootEvents = connect(
                root, &MusubiRoot::eventReceived, this,
                [this](const QJsonArray &storeId, const QString &name, const QJsonValue &payload) {
                    // A store given directly takes precedence over root + storeId.
                    if (!m_store && storeId == m_storeId)
                        deliver(storeId, name, payload);
                });
        m_rootDestroyed = connect(root, &QObject::destroyed, this, [this] {
            m_root = nullptr;
            Q_EMIT rootChanged();
        });
    }
    Q_EMIT rootChanged();
}

void MusubiQmlEventHandler::setStoreId(const QVariantList &storeId)
{
    const QJsonArray id = QJsonArray::fromVariantList(storeId);
    if (m_storeId == id)
        return;
    m_storeId = id;
    Q_EMIT storeIdChanged();
}

void MusubiQmlEventHandler::setName(const QString &name)
{
    if (m_name == name)
        return;
    m_name = name;
    Q_EMIT nameChanged();
}

void MusubiQmlEventHandler::setEnabled(bool enabled)
{
    if (m_enabled == enabled)
        return;
    m_enabled = enabled;
    Q_EMIT enabledChanged();
}

void MusubiQmlEventHandler::deliver(const QJsonArray &storeId, const QString &name,
                                    const QJsonValue &payload)
{
    if (!m_enabled || (!m_name.isEmpty() && name != m_name))
        return;
    Q_EMIT eventReceived(storeId, name, payload);
}
