// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubistoreref.h"

#include "musubiroot.h"
#include "musubistore.h"
#include "musubistoretree.h"

#include <QtCore/QPointer>

namespace Musubi::detail {

/*!
    \internal
    State of a MusubiStoreRef: what it names, the store it found and the
    connections that tell it to look again.
*/
class StoreRefPrivate
{
public:
    explicit StoreRefPrivate(MusubiStoreRef *q)
        : q(q)
    { }

    //! Follows the signals of root (and of its current store tree).
    void trackRoot();
    //! Follows the signals of the root's current store tree.
    void trackTree();
    //! Looks the store up again and says so when it changed.
    void refresh();

    MusubiStoreRef *q;
    QPointer<MusubiRoot> root;
    QJsonArray storeId;
    QPointer<MusubiStore> store;
    bool exists = false;
    QPointer<MusubiStoreTree> tree;
    QList<QMetaObject::Connection> rootConnections;
    QList<QMetaObject::Connection> treeConnections;
    QMetaObject::Connection storeDestroyed;
};

void StoreRefPrivate::trackRoot()
{
    for (const auto &connection : std::as_const(rootConnections))
        QObject::disconnect(connection);
    rootConnections.clear();
    if (root) {
        const auto again = [this] {
            trackTree();
            refresh();
        };
        rootConnections = {
                // First state, unmount, and a mount joining a shared tree.
                QObject::connect(root, &MusubiRoot::storeChanged, q, again),
                QObject::connect(root, &MusubiRoot::mountedChanged, q, again),
                QObject::connect(root, &QObject::destroyed, q,
                                 [this] {
                                     root = nullptr;
                                     trackTree();
                                     refresh();
                                     Q_EMIT q->rootChanged();
                                 }),
        };
    }
    trackTree();
}

void StoreRefPrivate::trackTree()
{
    MusubiStoreTree *current = root ? root->storeTree() : nullptr;
    if (current == tree && (current || treeConnections.isEmpty()))
        return;
    for (const auto &connection : std::as_const(treeConnections))
        QObject::disconnect(connection);
    treeConnections.clear();
    tree = current;
    if (!current)
        return;
    const auto again = [this] {
        refresh();
    };
    treeConnections = {
            QObject::connect(current, &MusubiStoreTree::storesAdded, q, again),
            QObject::connect(current, &MusubiStoreTree::storesRemoved, q, again),
            QObject::connect(current, &MusubiStoreTree::rootStoreChanged, q, again),
    };
}

void StoreRefPrivate::refresh()
{
    MusubiStore *found = root ? root->store(storeId) : nullptr;
    // A store object that vanished is deleted later: it no longer counts.
    if (found && !found->isAlive())
        found = nullptr;
    if (found == store && bool(found) == exists)
        return;
    QObject::disconnect(storeDestroyed);
    const bool changed = found != store.data() || (!found && exists);
    store = found;
    if (found) {
        storeDestroyed = QObject::connect(found, &QObject::destroyed, q, [this] { refresh(); });
    }
    const bool nowExists = found != nullptr;
    const bool existsFlipped = nowExists != exists;
    exists = nowExists;
    if (changed)
        Q_EMIT q->storeChanged();
    if (existsFlipped)
        Q_EMIT q->existsChanged();
}

} // namespace Musubi::detail

using Musubi::detail::StoreRefPrivate;

MusubiStoreRef::MusubiStoreRef(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<StoreRefPrivate>(this))
{ }

MusubiStoreRef::MusubiStoreRef(MusubiRoot *root, const QJsonArray &storeId, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<StoreRefPrivate>(this))
{
    d->root = root;
    d->storeId = storeId;
    d->trackRoot();
    d->refresh();
}

MusubiStoreRef::~MusubiStoreRef()
{
    // No signals from a destructor.
    QObject::disconnect(d->storeDestroyed);
    for (const auto &connection : std::as_const(d->rootConnections))
        QObject::disconnect(connection);
    for (const auto &connection : std::as_const(d->treeConnections))
        QObject::disconnect(connection);
}

MusubiRoot *MusubiStoreRef::root() const
{
    return d->root;
}

void MusubiStoreRef::setRoot(MusubiRoot *root)
{
    if (d->root == root)
        return;
    d->root = root;
    d->trackRoot();
    Q_EMIT rootChanged();
    d->refresh();
}

QJsonArray MusubiStoreRef::storeId() const
{
    return d->storeId;
}

void MusubiStoreRef::setStoreId(const QJsonArray &storeId)
{
    if (d->storeId == storeId)
        return;
    d->storeId = storeId;
    Q_EMIT storeIdChanged();
    d->refresh();
}

QVariantList MusubiStoreRef::storeIdList() const
{
    return d->storeId.toVariantList();
}

void MusubiStoreRef::setStoreIdList(const QVariantList &storeId)
{
    setStoreId(QJsonArray::fromVariantList(storeId));
}

MusubiStore *MusubiStoreRef::store() const
{
    return d->store;
}

bool MusubiStoreRef::exists() const
{
    return d->exists;
}
