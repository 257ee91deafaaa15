// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubilogging_p.h"
#include "musubistoretree.h"
#include "musubistreamop_p.h"
#include "musubiwiretree_p.h"

#include <QtCore/QHash>
#include <QtCore/QLoggingCategory>
#include <QtCore/QPointer>
#include <QtCore/QSet>
#include <QtCore/QVariant>

#include <optional>

class MusubiStore;
class MusubiStoreListModel;
class MusubiStreamModel;
class MusubiUpload;

namespace Musubi::detail {

class UploadHost;

// What an accepted (or refused) envelope did.
struct ApplyOutcome
{
    std::optional<MusubiPatchError> error; // set: refused, nothing changed
    QList<QJsonArray> changed; // appeared or changed, parents first (storesChanged())
    QList<QJsonArray> added; // appeared (storesAdded())
    QList<QJsonArray> removed; // vanished (storesRemoved())
    QJsonArray events; // the envelope's push events, to dispatch after the state
};

// The working state of one apply(), passed from step to step.
struct ApplyRun
{
    struct UploadOp
    {
        QStringList storeId;
        QString name;
        QJsonObject op;
    };
    QJsonArray ops, streamOps, uploadOps;
    bool hadRoot = false;
    bool anyOpChanged = false;
    QHash<QStringList, QSet<QString>> dirtyFields; // store → fields the ops touched
    QList<OpEffect> effects; // of the ops that changed something
    QList<StreamOp> decodedStreamOps;
    QList<UploadOp> decodedUploadOps;
    bool hadRootStore = false;
    // A store id with the JSON array of its node (shared with the tree, not rebuilt).
    struct Id
    {
        QStringList id;
        QJsonArray json;
    };
    QList<Id> added, removed; // parents first
    QHash<QStringList, WireNodePtr> indexBefore; // index entries the envelope touched
    bool fresh = false; // the index was empty before: every store appeared (indexBefore empty)
    QSet<QStringList> rewrite; // stores whose every field is recomputed
    QSet<QStringList> changed;
    QList<QObject *> doomed;
};

class StoreTreePrivate
{
public:
    explicit StoreTreePrivate(MusubiStoreTree *q);
    static StoreTreePrivate *get(MusubiStoreTree *tree) { return tree->d.get(); }
    static const StoreTreePrivate *get(const MusubiStoreTree *tree) { return tree->d.get(); }

    // Every upload handle: the connection dropped (uploads are not resumable).
    void uploadsConnectionLost();
    // Every upload handle: the root is live on a fresh server root.
    void uploadsRemounted();
    void notifyUploads(void (MusubiUpload::*notify)());

    // Applies \a envelope atomically and emits the tree's and the stores' signals; the
    // outcome says what happened (the runtime emits its own signals from it).
    ApplyOutcome apply(const QJsonObject &envelope);
    void clear();

    // The store object of \a id, made now (with the current state) if nobody asked for it
    // before; nullptr when no such store node exists.
    MusubiStore *materialise(const QStringList &id);

    MusubiStreamModel *streamModel(const QStringList &storeId, const QString &name, bool create);
    MusubiUpload *uploadHandle(const QStringList &storeId, const QString &name, bool create);

    // A store field as a QVariant (markers resolved, async status as MusubiAsync::Status,
    // see MusubiStore).
    QVariant resolve(const WireValue &value, const QStringList &owner);
    // The readable JSON view of a value (streams as item arrays, async as
    // \c{{status, data, error}} with the wire status string).
    QJsonValue resolveJson(const WireValue &value, const QStringList &owner) const;
    // Writes the fields of \a store from \a node: every field, or only \a fields.
    void writeFields(MusubiStore *store, const WireNode *node, const QSet<QString> *fields,
                     bool fresh);
    // The list model of field \a key of store \a owner when \a value is an array of store
    // nodes (or an empty array and the field already is a list model); nullptr otherwise
    // (an existing model of the field is then dropped). Inside apply() the rows of an
    // existing model are updated later (applyListUpdates()), at once otherwise.
    MusubiStoreListModel *listField(const QStringList &owner, const QString &key,
                                    const WireValue &value, bool *rowsChanged);
    // Deletes (later) the list model of field \a key of store \a owner, if there is one.
    void dropListField(const QStringList &owner, const QString &key);
    // Removes a store and its streams, uploads and list models; returns the objects to
    // delete.
    void prune(const QStringList &storeId, QList<QObject *> *doomed);

    static QStringList toStringList(const QJsonArray &id);

private:
    // The steps of apply(), in order.
    std::optional<MusubiPatchError> readSections(const QJsonObject &envelope, ApplyRun &run);
    std::optional<MusubiPatchError> applyOps(ApplyRun &run);
    std::optional<MusubiPatchError> decodeSideOps(ApplyRun &run);
    void diffStoreIndex(ApplyRun &run);
    void writeStores(ApplyRun &run);
    void applyListUpdates();
    void collectChanged(ApplyRun &run);
    void applySideOps(ApplyRun &run);
    void notify(ApplyRun &run, ApplyOutcome &outcome);

public:
    // Orders store ids parents first (shorter ids first, then by segments, compared as
    // UTF-16 code units like QString's operator<).
    static bool parentsFirst(const QStringList &a, const QStringList &b);

    MusubiStoreTree *q;
    WireTree wire;
    QHash<QStringList, MusubiStore *> stores; // the objects made so far (on demand)
    QHash<QStringList, QHash<QString, MusubiStoreListModel *>> lists;
    QHash<QStringList, QHash<QString, MusubiStreamModel *>> streams;
    QHash<QStringList, QHash<QString, MusubiUpload *>> uploads;
    MusubiStoreTree::CommandDispatcher dispatcher;
    UploadHost *uploadHost = nullptr; // set by the runtime
    mutable std::optional<QJsonObject> treeCache;
    MusubiStoreTree::PlainValues plainValues = MusubiStoreTree::PlainValues::VariantContainers;
    QSet<MusubiStore *> keysAdded; // existing stores that got new keys in this envelope
    QHash<QStringList, QSet<QString>> writtenKeys; // keys written in this envelope
    // writtenKeys of the last accepted envelope, kept through its notifications (the
    // typed store views re-read only those fields).
    QHash<QStringList, QSet<QString>> lastWrittenKeys;
    // Inside apply(): list models whose rows change, with their new rows.
    bool inApply = false;
    QList<std::pair<QPointer<MusubiStoreListModel>, QList<QStringList>>> pendingLists;
    // Fields of stores without an object, as they were before this envelope's first op
    // that edited them (undefined: absent); compared by value afterwards.
    QHash<std::pair<QStringList, QString>, QJsonValue> fieldsBefore;
    quint64 revision = 0;
};

} // namespace Musubi::detail
