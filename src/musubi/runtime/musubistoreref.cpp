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

/*!
    \class MusubiStoreRef
    \inmodule MusubiCore
    \inheaderfile musubistoreref.h
    \brief Follows one store of a root by its id: the store while it exists,
    nullptr while it does not.

    A child store appears and vanishes with the server's state (a child
    rendered only under a condition, a store of a list item). A
    MusubiStoreRef names it by (root(), storeId()) and tells when it appears
    or vanishes, so a view binds to store() and exists() instead of looking
    the store up again after every change:

    \code
    MusubiStoreRef cart(root, QJsonArray{u"cart"_s});
    connect(&cart, &MusubiStoreRef::storeChanged, this, [&cart] {
        if (MusubiStore *store = cart.store())
            qDebug() << store->value(u"total"_s);
    });
    \endcode

    It follows the store tree's MusubiStoreTree::storesAdded() and
    MusubiStoreTree::storesRemoved() and the root's
    \l [CPP] {MusubiRoot::storeChanged()} (first state, unmount), so it never
    polls. storeChanged() fires whenever store() changes identity,
    existsChanged() when exists() flips. A store object that vanished counts
    as gone at once, although it is deleted later. To look a store up once,
    use \l [CPP] {MusubiRoot::store()}{MusubiRoot::store(storeId)}.

    In QML it is the \l [QML] {MusubiStoreRef} type.

    \sa MusubiStore
*/

/*!
    \property MusubiStoreRef::root
    \brief the root whose store is followed; nullptr (no store) by default.

    When the root is destroyed the property becomes nullptr and rootChanged()
    is emitted.
*/

/*!
    \property MusubiStoreRef::storeId
    \brief the id of the followed store, as a list of strings; \c [] (the
    root store) by default.

    The \c storeId property is a QVariantList because QML tooling does not
    know QJsonArray as a property type: QML sees a JavaScript array. Its
    accessors are storeIdList() and setStoreIdList(); C++ code uses
    storeId() and setStoreId().
*/

/*!
    \property MusubiStoreRef::store
    \brief the store at storeId() of root(), or nullptr while there is none.
*/

/*!
    \property MusubiStoreRef::exists
    \brief whether store() is not nullptr.
*/

/*!
    \fn void MusubiStoreRef::storeChanged()

    Emitted when store() changed: the store appeared, vanished, or another
    object replaced it.
*/

/*!
    \fn void MusubiStoreRef::existsChanged()

    Emitted when exists() flips, right after storeChanged().
*/

/*!
    Constructs a reference to the root store (\c []) of no root, with
    \a parent.
*/

MusubiStoreRef::MusubiStoreRef(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<StoreRefPrivate>(this))
{ }

/*!
    Constructs a reference to the store at \a storeId of \a root, with
    \a parent. store() is set at once if the store exists.
*/

MusubiStoreRef::MusubiStoreRef(MusubiRoot *root, const QJsonArray &storeId, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<StoreRefPrivate>(this))
{
    d->root = root;
    d->storeId = storeId;
    d->trackRoot();
    d->refresh();
}

/*!
    Destroys the reference; it emits no signals.
*/

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

/*!
    Returns the id of the followed store; \c [] (the root store) by default.

    \sa storeIdList()
*/

QJsonArray MusubiStoreRef::storeId() const
{
    return d->storeId;
}

/*!
    Follows the store at \a storeId of root() from now on.
*/

void MusubiStoreRef::setStoreId(const QJsonArray &storeId)
{
    if (d->storeId == storeId)
        return;
    d->storeId = storeId;
    Q_EMIT storeIdChanged();
    d->refresh();
}

/*!
    Returns storeId() as a list of strings: the \c storeId property seen
    from QML.
*/

QVariantList MusubiStoreRef::storeIdList() const
{
    return d->storeId.toVariantList();
}

/*!
    Sets storeId() from \a storeId, a list of strings: the setter of the
    \c storeId property.
*/

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
