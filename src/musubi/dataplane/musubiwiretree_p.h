// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace Musubi::detail {

// RFC 6901 JSON pointers.
struct MUSUBI_CORE_EXPORT JsonPointer
{
    // Splits \a pointer into unescaped tokens (\c "" is the whole document: no tokens).
    // Returns nullopt and sets \a error for a pointer that does not start with \c / or
    // holds a bad escape.
    static std::optional<QStringList> parse(const QString &pointer, QString *error = nullptr);
    static QString escapeToken(const QString &token);
    static QString build(const QStringList &tokens);
    // The array index of \a token: decimal, no sign, no leading zeros; nullopt otherwise
    // (including \c -).
    static std::optional<qsizetype> arrayIndex(const QString &token);
};

struct WireNode;
using WireNodePtr = std::shared_ptr<WireNode>;

/*
    A value of the internal wire tree: a JSON scalar held inline or a container node.
    Containers are mutated in place; the undo log of WirePatcher keeps replaced nodes
    alive so that a failed envelope can be rolled back without copying anything.
*/
struct MUSUBI_CORE_EXPORT WireValue
{
    QJsonValue scalar; // when node is null: a scalar or an opaque, marker-free container
    WireNodePtr node;

    bool isNode() const { return bool(node); }
    // Converts \a value; marker-free subtrees stay one opaque QJsonValue. \a depth, when
    // given, receives the container nesting of \a value (a scalar is 0).
    // \a stores, when given, the number of store nodes made.
    static WireValue fromJson(const QJsonValue &value, qsizetype *depth = nullptr,
                              qsizetype *stores = nullptr);
    // Turns an opaque object or array into a node one level deep (children stay opaque).
    void expand();
    QJsonValue toJson() const;
    // Deep equality by value (shared nodes compare equal at once).
    static bool equal(const WireValue &a, const WireValue &b);

private:
    static WireValue fromJsonBelow(const QJsonValue &value, qsizetype *depth, qsizetype *stores,
                                   qsizetype budget);
};

struct MUSUBI_CORE_EXPORT WireNode
{
    enum class Marker : quint8 { None, Store, StreamSlot, UploadSlot, Async };

    bool isArray = false;
    Marker marker = Marker::None;
    QList<WireValue> items; // arrays
    QStringList storeId; // Marker::Store
    QString slotName; // StreamSlot / UploadSlot

    // The members of an object. A store object whose members hold no markers is kept as
    // its JSON object (lazy) until something reads or edits its members: a mount of
    // thousands of stores then costs a scan, not a hash table per store.
    QHash<QString, WireValue> &members()
    {
        if (m_lazy)
            expandMembers();
        return m_members;
    }
    const QHash<QString, WireValue> &members() const
    {
        if (m_lazy)
            expandMembers();
        return m_members;
    }
    // A lazy node: \a object, every member of which is marker-free.
    void setLazyMembers(const QJsonObject &object)
    {
        m_raw = object;
        m_lazy = true;
    }
    bool isLazy() const { return m_lazy; }
    // The lazy node's object (only while isLazy()).
    const QJsonObject &rawObject() const { return m_raw; }
    // The value of the store id member as JSON when it is a plain array (O(1)), else an
    // empty array.
    QJsonArray storeIdJson() const { return m_storeIdJson; }

    // Recomputes the marker from the members (docs/protocol.md §5).
    void classify();
    bool isStore() const { return marker == Marker::Store; }
    QJsonValue toJson() const;

private:
    void expandMembers() const;

    mutable QHash<QString, WireValue> m_members; // objects
    mutable QJsonObject m_raw; // while lazy
    mutable bool m_lazy = false;
    QJsonArray m_storeIdJson; // Marker::Store with a plain id array: that array
};

// What one accepted op did, for change tracking.
struct OpEffect
{
    // Stores on the path from the root to the op's target container (outermost first),
    // with the path token directly below each.
    struct Step
    {
        QStringList storeId;
        QString token;
        qsizetype depth = 0;
    };
    QList<Step> storePath;
    bool changed = false; // false when the op provably left the value as it was
    // Depth of the outermost object on the path that became, stopped being or changed
    // which store it is (-1: none); the store above it must rewrite its field.
    qsizetype identityChangedAt = -1;
    // The op added or removed store nodes (its old or new value held some).
    bool touchedStores = false;
};

// Failure of one op.
struct OpError
{
    QString path;
    QString message;
};

/*
    The wire tree of one root plus its store index (store id → node), both updated in
    place op by op with an undo log, so that applying a patch costs O(patch × depth) and a
    failed patch is rolled back exactly.
*/
class MUSUBI_CORE_EXPORT WireTree
{
public:
    /* Deepest container nesting the tree may reach (the root container is depth 1). An op
        that would go deeper is refused. Qt's JSON parser refuses documents nested deeper
        than 1024, so one envelope can never build more than that; the limit stops a chain
        of envelopes from growing the tree without bound, since reading, comparing,
        indexing and resolving the tree recurse once per level. */
    static constexpr qsizetype MaxDepth = 1024;

    WireTree();
    ~WireTree();

    bool hasRoot() const { return m_hasRoot; }
    const WireValue &root() const { return m_root; }
    const QHash<QStringList, WireNodePtr> &index() const { return m_index; }
    WireNode *storeNode(const QStringList &id) const { return m_index.value(id).get(); }

    // Starts a transaction (an envelope).
    void begin();
    // Applies one JSON Patch op object; on error the op itself changed nothing.
    std::optional<OpError> applyOp(const QJsonValue &op, OpEffect *effect);
    // Undoes every op since begin().
    void rollback();
    // Keeps the changes; returns, for every store id whose index entry changed during the
    // transaction, the node it had before (nullptr if the id was not indexed). When the
    // index was empty at begin() (a mount), nothing is recorded: \a fresh is set instead
    // and every indexed id is new.
    QHash<QStringList, WireNodePtr> commit(bool *fresh = nullptr);
    // After a fresh commit(): the stores it added, parents before children in tree order
    // (a store that left again within the transaction may still be listed: check index()).
    QList<WireNodePtr> takeFreshOrder(bool *mayHaveLeft)
    {
        *mayHaveLeft = m_freshDropped;
        return std::exchange(m_freshOrder, {});
    }
    // Drops everything.
    void clear();
    // Called before an op edits the field \a token of the store \a store (the nearest
    // store above the op's target), while the field still holds its old value.
    void setFieldObserver(std::function<void(const WireNode &store, const QString &token)> observer)
    {
        m_fieldObserver = std::move(observer);
    }

private:
    std::optional<OpError> applyParsed(const QString &kind, const QString &path,
                                       const QStringList &tokens, const QJsonValue *value,
                                       OpEffect *effect);
    void unindex(const WireValue &value);
    void reindex(const WireValue &value);
    void setIndex(const QStringList &id, const WireNodePtr &node);
    qsizetype countStore(const QStringList &id, qsizetype delta);
    void dropStore(const WireNode *node, const QStringList &id);
    void addStore(const WireNodePtr &node);
    void reindexOrphans();
    bool reclassify(const WireNodePtr &owner);

    WireValue m_root;
    bool m_hasRoot = false;
    QHash<QStringList, WireNodePtr> m_index;
    // Index entries as they were at begin() (first touch only).
    QHash<QStringList, WireNodePtr> m_indexBefore;
    bool m_fresh = false; // the index was empty at begin(): no before-entries are kept
    // While fresh: each new store node, first copy of its id, in tree order (a mount lists
    // its stores in the order the server rendered them); whether any store left again.
    QList<WireNodePtr> m_freshOrder;
    bool m_freshDropped = false;
    QList<QStringList> m_duplicated; // ids that got a second copy in this transaction
    // How many store nodes carry each id. A server renders every id once; a hostile one
    // may render an id twice, and then the index keeps the last one entered and falls
    // back on a remaining copy when that one leaves (m_orphans, resolved after each op).
    QHash<QStringList, qsizetype> m_storeCount;
    QHash<QStringList, qsizetype> m_storeCountBefore;
    QList<QStringList> m_orphans;
    QList<std::function<void()>> m_undo;
    quint64 m_indexTouches = 0;
    std::function<void(const WireNode &, const QString &)> m_fieldObserver;
};

} // namespace Musubi::detail
