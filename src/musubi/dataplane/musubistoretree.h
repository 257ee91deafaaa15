// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"
#include "musubistore.h"

#include <QtCore/QFuture>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QString>

#include <functional>
#include <memory>
#include <optional>

class MusubiStore;
class MusubiStreamModel;
class MusubiUpload;

namespace Musubi::detail {
class StoreTreePrivate;
}

/*!
    \class MusubiPatchError
    \brief Why an envelope was refused by MusubiStoreTree::apply().

    \c section is \c "ops", \c "stream_ops" or \c "upload_ops"; \c opIndex is the index of
    the offending element in that section (-1 when the section itself is not an array);
    \c path is the op's JSON pointer (the stream name for a stream op); \c message says what
    was wrong. A missing section counts as empty.
*/
struct MUSUBI_CORE_EXPORT MusubiPatchError
{
    QString section;
    int opIndex = -1;
    QString path;
    QString message;

    //! One line for logs: \c{ops[2] "/a/b": index 7 out of range}.
    QString toString() const;
};

/*!
    \class MusubiStoreTree
    \brief The data plane of one root: the wire tree, its stores, streams and upload handles.

    apply() takes a patch envelope (docs/protocol.md §4) and applies \c ops, \c stream_ops and
    \c upload_ops atomically: if anything is wrong nothing visible changes and the error is
    returned. Version and type checks are the caller's job.

    The cost of an envelope grows with the size of the patch and the depth of its paths,
    not with the size of the tree: the tree is held in an internal node structure that is
    mutated in place (with an undo log for atomicity), and the store index is maintained
    incrementally from the subtrees the ops touch.

    Order of effects of an accepted envelope, all after every op of every section has been
    applied: store keys are written (QML bindings re-evaluate for changed keys only),
    stream models Q_EMIT their row signals, upload ops reach their handles, stores that got
    new keys Q_EMIT MusubiStore::keysChanged(), each affected store emits
    MusubiStore::changed() once (parents first), then storesRemoved(), storesAdded(),
    rootStoreChanged() and storesChanged(); objects of vanished stores are deleted later.

    An existing store is affected (emits MusubiStore::changed()) when its subtree differs
    by value from before the envelope (an identical \c{replace ""} or a value changed and
    changed back within the envelope notifies nobody), when a stream or upload op names
    exactly this store (not its parents, as in the reference runtime), or when it is the
    nearest store of an op that added or removed store nodes. storesChanged() lists those
    stores and, in addition, every store that appeared with the envelope; see
    MusubiRoot::storesChanged() for the rule in full.

    Object ownership: every MusubiStore, MusubiStreamModel and MusubiUpload is a child of
    this tree (C++ ownership; QML never deletes an object with a parent). When a store
    node vanishes its store, streams and uploads are removed from the tree's tables at once
    and deleted with deleteLater(); QML references to them turn into \c null when the
    object is destroyed.

    \sa MusubiStore, MusubiStreamModel, MusubiUpload
*/
class MUSUBI_CORE_EXPORT MusubiStoreTree : public QObject
{
    Q_OBJECT
    Q_PROPERTY(MusubiStore *rootStore READ rootStore NOTIFY rootStoreChanged)
public:
    //! Sends a command for a store; set by the runtime (MusubiRoot).
    using CommandDispatcher = std::function<QFuture<QJsonValue>(
            const QJsonArray &storeId, const QString &name, const QJsonObject &payload)>;

    //! How plain (marker-free) objects and arrays reach MusubiStore values.
    enum class PlainValues {
        VariantContainers, //!< QVariantMap / QVariantList (default)
        JsonContainers, //!< QJsonObject / QJsonArray: shared with the tree, O(1) to expose
    };
    Q_ENUM(PlainValues)

    explicit MusubiStoreTree(QObject *parent = nullptr);
    ~MusubiStoreTree() override;

    //! Applies \c ops, \c stream_ops and \c upload_ops of \a envelope atomically.
    //! Returns the error and changes nothing if any of them is invalid.
    std::optional<MusubiPatchError> apply(const QJsonObject &envelope);

    //! The raw wire tree (markers intact, no stream items); empty before the first envelope.
    //! Built on demand and cached until the next accepted envelope: O(tree) on first call.
    QJsonObject tree() const;
    //! True once an envelope produced a root value.
    bool hasTree() const;

    //! The root store (store id \c []), or nullptr before the first envelope.
    MusubiStore *rootStore() const;
    //! The store with \a storeId (array of strings), or nullptr.
    MusubiStore *store(const QJsonArray &storeId) const;
    //! The ids of all live stores, parents first (shorter ids first, then by segments).
    QList<QJsonArray> storeIds() const;

    //! The model of stream \a name of store \a storeId, or nullptr if neither a slot nor a
    //! stream op has named it yet.
    MusubiStreamModel *stream(const QJsonArray &storeId, const QString &name) const;
    QList<MusubiStreamModel *> streams() const;

    //! The upload handle \a name of store \a storeId, or nullptr.
    MusubiUpload *upload(const QJsonArray &storeId, const QString &name) const;
    QList<MusubiUpload *> uploads() const;

    //! A readable view of the whole root: stream slots as item arrays, async values as
    //! \c{{status, data, error}} (\c status the wire string \c loading, \c ok or \c failed;
    //! the MusubiStore view holds a MusubiAsync::Status instead), upload slots as
    //! \c{{"__musubi_upload__": name}}.
    QJsonValue resolvedState() const;
    //! The readable view of one store's subtree (see resolvedState()), or undefined.
    QJsonValue resolvedState(const QJsonArray &storeId) const;

    //! Number of accepted envelopes since construction or clear().
    quint64 revision() const;

    //! Unmount: prunes every store, stream and upload; tree() becomes empty.
    void clear();

    //! Chooses how plain objects and arrays are exposed; set it before the first
    //! envelope (values already written keep their type until they change). QML sees
    //! JavaScript objects and arrays either way; JsonContainers avoids converting large
    //! plain data at mount time (see the benchmark's mount figures). Containers that hold
    //! markers (child stores, slots, async values) are always QVariantMap / QVariantList.
    void setPlainValues(PlainValues values);
    PlainValues plainValues() const;

    void setCommandDispatcher(CommandDispatcher dispatcher);
    //! Forwards to the dispatcher; a failed future (MusubiCommandError, NotConnected)
    //! when none is set.
    QFuture<QJsonValue> dispatch(const QJsonArray &storeId, const QString &name,
                                 const QJsonObject &payload = {});

Q_SIGNALS:
    //! Once per accepted envelope, after every MusubiStore::changed(): the stores that
    //! exist after the envelope and appeared with it or changed in it (the ids of every
    //! changed() that fired, plus every id of storesAdded()), parents first. Vanished
    //! stores are not listed (see storesRemoved()). Not emitted when the list is empty.
    //! The rule in full: MusubiRoot::storesChanged().
    void storesChanged(const QList<QJsonArray> &storeIds);
    //! Stores that appeared with the envelope (their objects are ready).
    void storesAdded(const QList<QJsonArray> &storeIds);
    //! Stores that vanished with the envelope (their objects are already scheduled for deletion).
    void storesRemoved(const QList<QJsonArray> &storeIds);
    void rootStoreChanged();

private:
    friend class Musubi::detail::StoreTreePrivate;
    friend class MusubiStore;
    std::unique_ptr<Musubi::detail::StoreTreePrivate> d;
};
