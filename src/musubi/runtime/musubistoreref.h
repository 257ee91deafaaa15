// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QJsonArray>
#include <QtCore/QObject>
#include <QtCore/QVariantList>

#include <memory>

class MusubiRoot;
class MusubiStore;

namespace Musubi::detail {
class StoreRefPrivate;
} // namespace Musubi::detail

/*!
    \class MusubiStoreRef
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

    \qml
    MusubiStoreRef { id: cart; root: shop; storeId: ["cart"] }
    Text { visible: cart.exists; text: cart.exists ? cart.store.total : "" }
    \endqml

    It follows the store tree's MusubiStoreTree::storesAdded() and
    MusubiStoreTree::storesRemoved() and the root's MusubiRoot::storeChanged()
    (first state, unmount), so it never polls. storeChanged() fires whenever
    store() changes identity, existsChanged() when exists() flips.

    \sa MusubiRoot::store(), MusubiStore
*/
class MUSUBI_CORE_EXPORT MusubiStoreRef : public QObject
{
    Q_OBJECT
    Q_MOC_INCLUDE("musubiroot.h")
    Q_MOC_INCLUDE("musubistore.h")
    Q_PROPERTY(MusubiRoot *root READ root WRITE setRoot NOTIFY rootChanged)
    // QML tooling does not know QJsonArray as a property type: QML sees a list.
    Q_PROPERTY(QVariantList storeId READ storeIdList WRITE setStoreIdList NOTIFY storeIdChanged)
    Q_PROPERTY(MusubiStore *store READ store NOTIFY storeChanged)
    Q_PROPERTY(bool exists READ exists NOTIFY existsChanged)

public:
    //! Constructs a reference to the root store (\c []) of no root, with \a parent.
    explicit MusubiStoreRef(QObject *parent = nullptr);
    //! Constructs a reference to the store at \a storeId of \a root, with \a parent.
    MusubiStoreRef(MusubiRoot *root, const QJsonArray &storeId, QObject *parent = nullptr);
    ~MusubiStoreRef() override;

    //! The root whose store is followed; nullptr (no store) by default.
    MusubiRoot *root() const;
    void setRoot(MusubiRoot *root);

    //! The id of the followed store; \c [] (the root store) by default.
    QJsonArray storeId() const;
    void setStoreId(const QJsonArray &storeId);
    //! storeId() as a list of strings: the \c storeId property seen from QML.
    QVariantList storeIdList() const;
    void setStoreIdList(const QVariantList &storeId);

    //! The store at storeId() of root(), or nullptr while there is none.
    MusubiStore *store() const;
    //! Whether store() is not nullptr.
    bool exists() const;

Q_SIGNALS:
    void rootChanged();
    void storeIdChanged();
    //! store() changed: the store appeared, vanished, or another object replaced it.
    void storeChanged();
    //! exists() changed.
    void existsChanged();

private:
    friend class Musubi::detail::StoreRefPrivate;
    std::unique_ptr<Musubi::detail::StoreRefPrivate> d;
};
