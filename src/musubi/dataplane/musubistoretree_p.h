// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubilogging_p.h"
#include "musubistoretree.h"
#include "musubiwiretree_p.h"

#include <QtCore/QHash>
#include <QtCore/QLoggingCategory>
#include <QtCore/QSet>
#include <QtCore/QVariant>

#include <optional>

class MusubiStore;
class MusubiStreamModel;
class MusubiUpload;


namespace Musubi::detail {

class UploadHost;

class StoreTreePrivate
{
public:
    explicit StoreTreePrivate(MusubiStoreTree *q)
        : q(q)
    { }
    static StoreTreePrivate *get(MusubiStoreTree *tree) { return tree->d.get(); }
    static const StoreTreePrivate *get(const MusubiStoreTree *tree) { return tree->d.get(); }

    //! Every upload handle: the connection dropped (uploads are not resumable).
    void uploadsConnectionLost();
    //! Every upload handle: the root is live on a fresh server root.
    void uploadsRemounted();

    std::optional<MusubiPatchError> apply(const QJsonObject &envelope);
    void clear();

    MusubiStreamModel *streamModel(const QStringList &storeId, const QString &name, bool create);
    MusubiUpload *uploadHandle(const QStringList &storeId, const QString &name, bool create);

    //! A store field as a QVariant (markers resolved, see MusubiStore).
    QVariant resolve(const WireValue &value, const QStringList &owner);
    //! The readable JSON view of a value (streams as item arrays, async normalised).
    QJsonValue resolveJson(const WireValue &value, const QStringList &owner) const;
    //! Writes the fields of \a store from \a node: every field, or only \a fields.
    void writeFields(MusubiStore *store, const WireNode *node, const QSet<QString> *fields,
                     bool fresh);
    //! Removes a store and its streams and uploads; returns the objects to delete.
    void prune(const QStringList &storeId, QList<QObject *> *doomed);

    static QStringList toStringList(const QJsonArray &id);
    //! Orders store ids parents first (shorter ids first, then by segments).
    static bool parentsFirst(const QStringList &a, const QStringList &b);

    MusubiStoreTree *q;
    WireTree wire;
    QHash<QStringList, MusubiStore *> stores;
    QHash<QStringList, QHash<QString, MusubiStreamModel *>> streams;
    QHash<QStringList, QHash<QString, MusubiUpload *>> uploads;
    MusubiStoreTree::CommandDispatcher dispatcher;
    UploadHost *uploadHost = nullptr; // set by the runtime
    mutable std::optional<QJsonObject> treeCache;
    MusubiStoreTree::PlainValues plainValues = MusubiStoreTree::PlainValues::VariantContainers;
    QSet<MusubiStore *> keysAdded; // existing stores that got new keys in this envelope
    QHash<QStringList, QSet<QString>> writtenKeys; // keys written in this envelope
    quint64 revision = 0;
};

} // namespace Musubi::detail
