// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

//
//  W A R N I N G
//  -------------
// This file is not part of the public API. It may change without notice.
//

#include "musubistore.h"

#include <QtCore/QPointer>
#include <QtCore/QStringList>

namespace Musubi::detail {

// The private part of a MusubiStore; the store tree writes it.
class StorePrivate
{
public:
    StorePrivate(MusubiStoreTree *tree, const QStringList &storeId)
        : tree(tree)
        , storeId(storeId)
    { }
    static StorePrivate *get(MusubiStore *store) { return store->d.get(); }

    QPointer<MusubiStoreTree> tree;
    QStringList storeId;
    int revision = 0; // accepted envelopes that changed this store
    quint64 born = 0; // the tree's revision when the object was made
    bool alive = true; // false once its node left the tree
};

} // namespace Musubi::detail
