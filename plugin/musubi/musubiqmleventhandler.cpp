// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiqmleventhandler.h"

/*!
    \qmltype MusubiEventHandler
    \inqmlmodule Musubi
    \brief Reacts to a store's push events (toasts, scroll-to-bottom, ...).

    Give it either a \l store, or a \l root and a \l storeId (\c [] by
    default, the root store; this form survives the store vanishing and
    coming back). \l name selects the event; an empty name matches every event.

    \qml
    MusubiEventHandler {
        root: chat
        name: "toast"
        onEventReceived: (storeId, name, payload) => toast.show(payload.msg)
    }
    \endqml

    eventReceived(storeId, name, payload) (the same signal as
    MusubiRoot.eventReceived and MusubiStore.eventReceived) is emitted after
    the state of the same envelope is visible to bindings, so a handler may
    read the store and see the new state. Events are fire-and-forget: an
    event that arrives while the handler is disabled or not yet created is
    not replayed.

    \sa MusubiCommand
*/

/*!
    \qmlproperty MusubiStore MusubiEventHandler::store

    The store whose events are handled. Wins over \l root when set.
*/

/*!
    \qmlproperty MusubiRoot MusubiEventHandler::root

    With \l storeId, the root whose store's events are handled when \l store is not set.
*/

/*!
    \qmlproperty list<string> MusubiEventHandler::storeId

    With \l root: the id of the store whose events are handled; \c [] (the
    root store) by default.
*/

/*!
    \qmlproperty string MusubiEventHandler::name

    The name of the events handled; empty (default) handles every event.
*/

/*!
    \qmlproperty bool MusubiEventHandler::enabled

    Whether events are delivered (true by default). Events that arrive while
    it is false are dropped, not replayed.
*/

/*!
    \qmlsignal MusubiEventHandler::eventReceived(list<string> storeId, string name, var payload)

    An event named \l name (any name when \l name is empty) with \a payload
    arrived for the store at \a storeId; \a name is the event's name, useful
    with an empty filter.
*/

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
