// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiinspectorstoremodel.h"
#include "musubiinspectorjson_p.h"

#include "musubistoretree.h"
#include "musubistoretree_p.h"
#include "musubistreammodel.h"
#include "musubiupload.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;
using Musubi::detail::StoreTreePrivate;
using Musubi::detail::WireNode;
using Musubi::detail::WireValue;

namespace {

const QString kStoreIdKey = u"__musubi_store_id__"_s;
const QString kAsyncKey = u"__musubi_async__"_s;

// A row is one line: long values are cut (the full value is one level down).
QString preview(const QJsonValue &value)
{
    return Musubi::detail::inspectorPreview(value, 120);
}

QString typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return u"bool"_s;
    case QJsonValue::Double:
        return u"number"_s;
    case QJsonValue::String:
        return u"string"_s;
    case QJsonValue::Array:
        return u"array"_s;
    case QJsonValue::Object:
        return u"object"_s;
    case QJsonValue::Undefined:
        break;
    }
    return u"undefined"_s;
}

QString countText(qsizetype n, const QString &one, const QString &many)
{
    return QString::number(n) + u' ' + (n == 1 ? one : many);
}

// A store id as compact JSON (["line","1"]), written directly: made for every store row.
QString idText(const QStringList &id)
{
    QString text = u"["_s;
    for (qsizetype i = 0; i < id.size(); ++i) {
        if (i > 0)
            text += u',';
        text += u'"';
        for (const QChar c : id.at(i)) {
            if (c == u'"' || c == u'\\')
                text += u'\\';
            text += c;
        }
        text += u'"';
    }
    return text + u']';
}

QStringList toIdList(const QJsonArray &id)
{
    QStringList out;
    out.reserve(id.size());
    for (const QJsonValue &segment : id)
        out.append(segment.toString());
    return out;
}

// Object keys in a stable order (the wire tree keeps them in a hash).
QStringList sortedKeys(QStringList keys)
{
    keys.removeAll(kStoreIdKey);
    std::sort(keys.begin(), keys.end());
    return keys;
}

} // namespace

// What a row shows and where its value lives. Store rows address their store by id;
// rows below a store address their value by path inside it (tokens of the wire tree),
// so a row never holds a pointer into the tree, which patches replace in place.
struct MusubiInspectorStoreModel::Desc
{
    enum class Kind : quint8 { Root, Store, Container, Async, Stream, Upload, Plain };
    Kind kind = Kind::Plain;
    QString key;
    QStringList storeId; // Store: its id; otherwise the store the value belongs to
    QStringList path; // below the store node (Container, Async)
    QString slot; // Stream, Upload
    QJsonValue json; // Plain: the value
    bool inWire = true; // false: a stream item or a part of one (not addressable by path)
};

struct MusubiInspectorStoreModel::Signature
{
    QString key;
    const void *node = nullptr;
    QJsonValue scalar;
};

struct MusubiInspectorStoreModel::Node : Desc
{
    Node *parent = nullptr;
    int row = 0;
    bool populated = false;
    QString type, value; // as shown; compared on refresh
    qint64 changedAt = 0;
    bool expandable = false;
    QList<QMetaObject::Connection> watch; // of a stream model or upload handle
    std::vector<std::unique_ptr<Node>> children;
    // What the members were when the children were last read (see updateSignature()).
    bool signed_ = false;
    QList<Signature> signature;
    QJsonObject rawSignature;
};

/*!
    \class MusubiInspectorStoreModel
    \inmodule MusubiInspector
    \brief A lazy tree model of a root's live store tree: every store and
    every key is a row.

    The top-level rows are the keys of the root store. A row's children are
    made only when a view asks for them (rowCount() of that row, which a
    TreeView does when the row is expanded): opening a root with thousands of
    child stores makes one row per key of the root store and nothing below.
    The model reads the wire tree in place and never makes a MusubiStore
    object for a store it shows; it makes a store's MusubiStreamModel or
    MusubiUpload only for a stream or upload row that is shown.

    Child stores open into their keys, streams (value: their row count) into
    their rows, async values (value: their status) into \c status, \c result
    and \c reason, and plain objects and arrays into their members.

    It follows MusubiStoreTree::storesChanged() and
    MusubiStoreTree::storesRemoved(): only rows that were made are read again.
    A key that appears or goes is a row insertion or removal, a value that
    changes is a dataChanged() of its row, with a new ChangedAtRole that a
    delegate can flash on. A change never resets the model; setting another
    tree does.
*/

/*!
    \enum MusubiInspectorStoreModel::Role

    \value KeyRole the key, array index or stream item key of the row.
    \value ValueRole a one-line preview of the value: a scalar as JSON, a
        store's key count, a stream's row count, an async value's status, an
        upload's status.
    \value TypeRole \c store, \c object, \c array, \c stream, \c upload,
        \c async, \c string, \c number, \c bool or \c null.
    \value ChangedAtRole when the value last changed (milliseconds since the
        epoch), 0 if it has not changed since the row was made.
    \value StoreIdRole the id of the store the row belongs to (or is), as
        compact JSON.
*/

/*!
    Constructs an empty model with \a parent.
*/
MusubiInspectorStoreModel::MusubiInspectorStoreModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{
    m_root->kind = Desc::Kind::Root;
}

/*!
    Destroys the model.
*/
MusubiInspectorStoreModel::~MusubiInspectorStoreModel()
{
    release(m_root.get());
}

/*!
    \property MusubiInspectorStoreModel::tree
    \brief the store tree shown (for example MusubiTrace::storeTree()), or null.

    Setting it resets the model.
*/
MusubiStoreTree *MusubiInspectorStoreModel::tree() const
{
    return m_tree;
}

void MusubiInspectorStoreModel::setTree(MusubiStoreTree *tree)
{
    if (m_tree == tree)
        return;
    beginResetModel();
    if (m_tree)
        disconnect(m_tree, nullptr, this, nullptr);
    release(m_root.get());
    m_root = std::make_unique<Node>();
    m_root->kind = Desc::Kind::Root;
    m_tree = tree;
    if (tree) {
        connect(tree, &MusubiStoreTree::storesChanged, this,
                &MusubiInspectorStoreModel::storesChanged);
        connect(tree, &MusubiStoreTree::storesRemoved, this,
                &MusubiInspectorStoreModel::storesRemoved);
        connect(tree, &MusubiStoreTree::rootStoreChanged, this, [this] { refresh(m_root.get()); });
        // m_tree is already null when this arrives.
        connect(tree, &QObject::destroyed, this, [this] {
            beginResetModel();
            release(m_root.get());
            m_root = std::make_unique<Node>();
            m_root->kind = Desc::Kind::Root;
            endResetModel();
            Q_EMIT treeChanged();
        });
        populate(m_root.get());
    }
    endResetModel();
    Q_EMIT treeChanged();
}

/*!
    Returns how many rows the model has made (the top-level rows and the
    children of every row a view opened).
*/
int MusubiInspectorStoreModel::createdNodeCount() const
{
    return m_nodes;
}

/*!
    Returns the index of the row reached from the top by the keys \a keys
    (for example \c{["cart", "total"]}), making the rows on the way; invalid
    if a key is missing.
*/
QModelIndex MusubiInspectorStoreModel::find(const QStringList &keys) const
{
    QModelIndex current;
    for (const QString &key : keys) {
        Node *node = current.isValid() ? nodeOf(current) : m_root.get();
        populate(node);
        const auto it = std::find_if(node->children.begin(), node->children.end(),
                                     [&key](const auto &child) { return child->key == key; });
        if (it == node->children.end())
            return {};
        current = indexOf(it->get());
    }
    return current;
}

MusubiInspectorStoreModel::Node *MusubiInspectorStoreModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex MusubiInspectorStoreModel::indexOf(const Node *node) const
{
    if (!node || node == m_root.get())
        return {};
    return createIndex(node->row, 0, const_cast<Node *>(node));
}

// The wire tree node of a store, container or async row (nullptr if it is gone). A row
// holds its store id and path, never a pointer: patches replace nodes in place.
const WireNode *MusubiInspectorStoreModel::wireNodeOf(const Node *node) const
{
    if (!m_tree)
        return nullptr;
    const StoreTreePrivate *d = StoreTreePrivate::get(m_tree);
    const WireNode *wire =
            d->wire.storeNode(node->kind == Desc::Kind::Root ? QStringList() : node->storeId);
    for (const QString &token : node->path) {
        if (!wire || wire->isLazy())
            return nullptr;
        const WireValue *value = nullptr;
        if (wire->isArray) {
            bool ok = false;
            const qsizetype i = token.toLongLong(&ok);
            if (ok && i >= 0 && i < wire->items.size())
                value = &wire->items.at(i);
        } else {
            const auto it = wire->members().constFind(token);
            if (it != wire->members().cend())
                value = &it.value();
        }
        wire = value && value->isNode() && !value->node->isStore() ? value->node.get() : nullptr;
    }
    return wire;
}

// The rows below \a node as the tree holds them now.
QList<MusubiInspectorStoreModel::Desc>
MusubiInspectorStoreModel::describeChildren(const Node *node) const
{
    QList<Desc> out;
    if (!m_tree)
        return out;
    // Members of a marker-free value; those of a value in the wire tree keep their path
    // (a patch may turn the value into a node of the tree: same rows, same paths).
    const auto plainMembers = [&out, node](const QJsonValue &value) {
        const bool inWire = node->inWire;
        const QStringList storeId = node->kind == Desc::Kind::Root ? QStringList() : node->storeId;
        const QStringList path = node->kind == Desc::Kind::Store ? QStringList() : node->path;
        const auto add = [&](const QString &key, const QJsonValue &member) {
            Desc desc{Desc::Kind::Plain, key, {}, {}, {}, member, inWire};
            if (inWire) {
                desc.storeId = storeId;
                desc.path = path;
                desc.path.append(key);
            }
            out.append(desc);
        };
        if (value.isObject()) {
            const QJsonObject object = value.toObject();
            for (const QString &key : sortedKeys(object.keys()))
                add(key, object.value(key));
        } else if (value.isArray()) {
            const QJsonArray array = value.toArray();
            for (qsizetype i = 0; i < array.size(); ++i)
                add(QString::number(i), array.at(i));
        }
    };
    if (node->kind == Desc::Kind::Plain) {
        plainMembers(node->json);
        return out;
    }
    if (node->kind == Desc::Kind::Stream) {
        const MusubiStreamModel *stream =
                m_tree->stream(QJsonArray::fromStringList(node->storeId), node->slot);
        for (int row = 0; stream && row < stream->count(); ++row)
            out.append(Desc{
                    Desc::Kind::Plain, stream->keyAt(row), {}, {}, {}, stream->itemAt(row), false});
        return out;
    }
    if (node->kind == Desc::Kind::Upload)
        return out;

    // A store, or a container with markers inside one: read the wire tree.
    const QStringList storeId = node->kind == Desc::Kind::Root ? QStringList() : node->storeId;
    const WireNode *wire = wireNodeOf(node);
    if (!wire)
        return out;
    if (wire->isLazy()) {
        // Marker-free members: plain values, read from the store's JSON as it is.
        plainMembers(wire->rawObject());
        return out;
    }
    const auto describe = [&](const QString &key, const WireValue &value) {
        Desc desc;
        desc.key = key;
        desc.storeId = storeId;
        desc.path = node->path;
        desc.path.append(key);
        if (!value.isNode()) {
            desc.kind = Desc::Kind::Plain;
            desc.json = value.scalar;
            return desc;
        }
        switch (value.node->marker) {
        case WireNode::Marker::Store:
            desc.kind = Desc::Kind::Store;
            desc.storeId = value.node->storeId;
            desc.path.clear();
            break;
        case WireNode::Marker::StreamSlot:
            desc.kind = Desc::Kind::Stream;
            desc.slot = value.node->slotName;
            break;
        case WireNode::Marker::UploadSlot:
            desc.kind = Desc::Kind::Upload;
            desc.slot = value.node->slotName;
            break;
        case WireNode::Marker::Async:
            desc.kind = Desc::Kind::Async;
            break;
        case WireNode::Marker::None:
            desc.kind = Desc::Kind::Container;
            break;
        }
        return desc;
    };
    if (wire->isArray) {
        for (qsizetype i = 0; i < wire->items.size(); ++i)
            out.append(describe(QString::number(i), wire->items.at(i)));
    } else {
        const auto &members = wire->members();
        QStringList keys = sortedKeys(members.keys());
        if (wire->marker == WireNode::Marker::Async)
            keys.removeAll(kAsyncKey);
        for (const QString &key : std::as_const(keys))
            out.append(describe(key, members.value(key)));
    }
    return out;
}

// Makes the children of \a node, once. Called from rowCount(): a view that asks how many
// children a row has is about to show them; nothing was reported for them before, so no
// insertion is announced.
void MusubiInspectorStoreModel::populate(Node *node) const
{
    if (node->populated)
        return;
    node->populated = true;
    updateSignature(node);
    const QList<Desc> descs = describeChildren(node);
    node->children.reserve(size_t(descs.size()));
    for (const Desc &desc : descs) {
        node->children.push_back(makeNode(node, desc));
        node->children.back()->row = int(node->children.size()) - 1;
    }
}

std::unique_ptr<MusubiInspectorStoreModel::Node>
MusubiInspectorStoreModel::makeNode(Node *parent, const Desc &desc) const
{
    auto node = std::make_unique<Node>();
    static_cast<Desc &>(*node) = desc;
    node->parent = parent;
    ++m_nodes;
    if (node->kind == Desc::Kind::Store)
        m_storeNodes.insert(node->storeId, node.get());
    watch(node.get());
    present(node.get());
    return node;
}

// Computes what the row of \a node shows: its type, value preview and whether it opens.
void MusubiInspectorStoreModel::present(Node *node) const
{
    node->expandable = false;
    switch (node->kind) {
    case Desc::Kind::Root:
        return;
    case Desc::Kind::Plain:
        node->type = typeName(node->json);
        node->value = preview(node->json);
        node->expandable = (node->json.isObject() && !node->json.toObject().isEmpty())
                || (node->json.isArray() && !node->json.toArray().isEmpty());
        return;
    case Desc::Kind::Stream: {
        const MusubiStreamModel *stream = m_tree
                ? m_tree->stream(QJsonArray::fromStringList(node->storeId), node->slot)
                : nullptr;
        const int rows = stream ? stream->count() : 0;
        node->type = u"stream"_s;
        node->value = countText(rows, u"row"_s, u"rows"_s);
        node->expandable = rows > 0;
        return;
    }
    case Desc::Kind::Upload: {
        const MusubiUpload *upload = m_tree
                ? m_tree->upload(QJsonArray::fromStringList(node->storeId), node->slot)
                : nullptr;
        node->type = u"upload"_s;
        node->value = upload ? upload->statusName() : QString();
        return;
    }
    case Desc::Kind::Store:
    case Desc::Kind::Container:
    case Desc::Kind::Async:
        break;
    }
    if (node->kind != Desc::Kind::Async) {
        // Counted in the wire tree: nothing is expanded, no row is described.
        const WireNode *wire = wireNodeOf(node);
        qsizetype count = 0;
        const bool isArray = wire && !wire->isLazy() && wire->isArray;
        if (wire && wire->isLazy())
            count = wire->rawObject().size() - (wire->rawObject().contains(kStoreIdKey) ? 1 : 0);
        else if (isArray)
            count = wire->items.size();
        else if (wire)
            count = wire->members().size() - (wire->members().contains(kStoreIdKey) ? 1 : 0);
        node->expandable = count > 0;
        if (node->kind == Desc::Kind::Store) {
            node->type = u"store"_s;
            node->value = idText(node->storeId) + u"  "_s + countText(count, u"key"_s, u"keys"_s);
        } else {
            node->type = isArray ? u"array"_s : u"object"_s;
            node->value = isArray ? u"["_s + countText(count, u"item"_s, u"items"_s) + u']'
                                  : u"{"_s + countText(count, u"key"_s, u"keys"_s) + u'}';
        }
        return;
    }
    // An async value: its status, and its result or reason.
    const QList<Desc> children = describeChildren(node);
    node->expandable = !children.isEmpty();
    node->type = u"async"_s;
    QString status, detail;
    for (const Desc &child : children) {
        if (child.key == u"status"_s)
            status = child.json.toString();
    }
    // "result" sorts before "status": read the detail once the status is known.
    for (const Desc &child : children) {
        if ((child.key == u"result"_s && status == u"ok"_s)
            || (child.key == u"reason"_s && status == u"failed"_s))
            detail = child.kind == Desc::Kind::Plain ? preview(child.json) : u"…"_s;
    }
    node->value = detail.isEmpty() ? status : status + u": "_s + detail;
}

// Streams and uploads change without a store change: follow their own signals.
void MusubiInspectorStoreModel::watch(Node *node) const
{
    if (!m_tree || (node->kind != Desc::Kind::Stream && node->kind != Desc::Kind::Upload))
        return;
    auto *self = const_cast<MusubiInspectorStoreModel *>(this);
    const QJsonArray storeId = QJsonArray::fromStringList(node->storeId);
    if (node->kind == Desc::Kind::Stream) {
        if (MusubiStreamModel *stream = m_tree->stream(storeId, node->slot)) {
            const auto update = [self, node] {
                self->refreshRow(node);
                self->refresh(node);
            };
            node->watch = {
                    connect(stream, &QAbstractItemModel::rowsInserted, self, update),
                    connect(stream, &QAbstractItemModel::rowsRemoved, self, update),
                    connect(stream, &QAbstractItemModel::rowsMoved, self, update),
                    connect(stream, &QAbstractItemModel::dataChanged, self, update),
                    connect(stream, &QAbstractItemModel::modelReset, self, update),
            };
        }
    } else if (node->kind == Desc::Kind::Upload) {
        if (MusubiUpload *upload = m_tree->upload(storeId, node->slot)) {
            node->watch = {connect(upload, &MusubiUpload::statusChanged, self,
                                   [self, node] { self->refreshRow(node); })};
        }
    }
}

void MusubiInspectorStoreModel::unwatch(Node *node) const
{
    for (const QMetaObject::Connection &connection : std::as_const(node->watch))
        disconnect(connection);
    node->watch.clear();
}

// Forgets \a node's subtree (not \a node itself): registrations, watches and counts.
void MusubiInspectorStoreModel::release(Node *node) const
{
    for (const auto &child : node->children) {
        release(child.get());
        unwatch(child.get());
        if (child->kind == Desc::Kind::Store)
            m_storeNodes.remove(child->storeId, child.get());
        --m_nodes;
    }
    node->children.clear();
}

// Closes \a node: its rows go, and are made again when a view asks.
void MusubiInspectorStoreModel::collapse(Node *node)
{
    if (!node->populated)
        return;
    if (!node->children.empty()) {
        beginRemoveRows(indexOf(node), 0, int(node->children.size()) - 1);
        release(node);
        endRemoveRows();
    }
    node->populated = false;
}

// Re-reads the row of \a node itself; a dataChanged() (and a new changedAt) when it shows
// something else now.
void MusubiInspectorStoreModel::refreshRow(Node *node)
{
    if (node == m_root.get())
        return;
    const QString type = node->type, value = node->value;
    const bool expandable = node->expandable;
    present(node);
    if (type == node->type && value == node->value && expandable == node->expandable)
        return;
    node->changedAt = QDateTime::currentMSecsSinceEpoch();
    const QModelIndex index = indexOf(node);
    Q_EMIT dataChanged(index, index);
}

// Records what the members of a store, container or async row are (their keys, the nodes
// and scalars they hold: shared with the tree, nothing is copied) and returns whether that
// differs from the last record. Always true for other rows. A parent of thousands of stores
// is listed by storesChanged() whenever one of them changes: this spares it the re-read.
bool MusubiInspectorStoreModel::updateSignature(Node *node) const
{
    if (node->kind != Desc::Kind::Root && node->kind != Desc::Kind::Store
        && node->kind != Desc::Kind::Container && node->kind != Desc::Kind::Async)
        return true;
    const WireNode *wire = wireNodeOf(node);
    if (!wire) {
        const bool had = node->signed_;
        node->signed_ = false;
        node->signature.clear();
        node->rawSignature = {};
        return had || !node->children.empty();
    }
    bool same = node->signed_;
    if (wire->isLazy()) {
        same = same && node->signature.isEmpty() && node->rawSignature == wire->rawObject();
        node->signature.clear();
        node->rawSignature = wire->rawObject();
    } else if (wire->isArray) {
        same = same && node->signature.size() == wire->items.size();
        for (qsizetype i = 0; same && i < wire->items.size(); ++i) {
            const Signature &entry = node->signature.at(i);
            const WireValue &value = wire->items.at(i);
            same = entry.node == value.node.get() && entry.scalar == value.scalar;
        }
        if (!same) {
            node->signature.clear();
            node->signature.reserve(wire->items.size());
            for (const WireValue &value : wire->items)
                node->signature.append(Signature{QString(), value.node.get(), value.scalar});
        }
        node->rawSignature = {};
    } else {
        // Members in hash order: the order stays while the hash is not changed, and any
        // change of it shows as a different key, node or scalar.
        const auto &members = wire->members();
        same = same && node->signature.size() == members.size();
        qsizetype i = 0;
        for (auto it = members.cbegin(); same && it != members.cend(); ++it, ++i) {
            const Signature &entry = node->signature.at(i);
            same = entry.key == it.key() && entry.node == it.value().node.get()
                    && entry.scalar == it.value().scalar;
        }
        if (!same) {
            node->signature.clear();
            node->signature.reserve(members.size());
            for (auto it = members.cbegin(); it != members.cend(); ++it)
                node->signature.append(
                        Signature{it.key(), it.value().node.get(), it.value().scalar});
        }
        node->rawSignature = {};
    }
    node->signed_ = true;
    return !same;
}

// Brings the children of \a node (if they were made) in line with the tree: removed keys
// are removed rows, new keys inserted rows, changed values dataChanged(); rows that were
// opened are refreshed in turn, except child stores (they are refreshed by their own id).
void MusubiInspectorStoreModel::refresh(Node *node)
{
    if (!node->populated)
        return;
    if (!updateSignature(node)) {
        // This level is as it was (the tree lists a store as changed when a store below it
        // changed): only containers inside it can have changed, in place.
        for (const auto &child : node->children) {
            if (child->kind == Desc::Kind::Container || child->kind == Desc::Kind::Async) {
                refreshRow(child.get());
                refresh(child.get());
            }
        }
        return;
    }
    const QList<Desc> next = describeChildren(node);
    const QModelIndex parentIndex = indexOf(node);
    auto &children = node->children;

    QHash<QString, qsizetype> position;
    position.reserve(next.size());
    for (qsizetype i = 0; i < next.size(); ++i)
        position.insert(next.at(i).key, i);
    // Kept rows must appear in the same order in the new list (streams can move items):
    // a row out of order is removed and made again.
    std::vector<bool> keep(children.size());
    qsizetype last = -1;
    for (size_t j = 0; j < children.size(); ++j) {
        const qsizetype at = position.value(children[j]->key, -1);
        keep[j] = at > last;
        if (keep[j])
            last = at;
    }
    for (int j = int(children.size()) - 1; j >= 0;) {
        if (keep[size_t(j)]) {
            --j;
            continue;
        }
        int first = j;
        while (first > 0 && !keep[size_t(first - 1)])
            --first;
        beginRemoveRows(parentIndex, first, j);
        for (int k = first; k <= j; ++k) {
            Node *gone = children[size_t(k)].get();
            release(gone);
            unwatch(gone);
            if (gone->kind == Desc::Kind::Store)
                m_storeNodes.remove(gone->storeId, gone);
            --m_nodes;
        }
        children.erase(children.begin() + first, children.begin() + j + 1);
        for (size_t k = size_t(first); k < children.size(); ++k)
            children[k]->row = int(k);
        endRemoveRows();
        j = first - 1;
    }

    size_t j = 0;
    for (qsizetype i = 0; i < next.size();) {
        if (j < children.size() && children[j]->key == next.at(i).key) {
            Node *child = children[j].get();
            const Desc &desc = next.at(i);
            // A value that became or stopped being a store, stream or upload is another row
            // (closed again); a plain value that became a node of the tree (or back) is not.
            const auto special = [](Desc::Kind kind) {
                return kind == Desc::Kind::Store || kind == Desc::Kind::Stream
                        || kind == Desc::Kind::Upload;
            };
            const bool moved =
                    ((child->kind != desc.kind) && (special(child->kind) || special(desc.kind)))
                    || child->storeId != desc.storeId || child->slot != desc.slot
                    || child->path != desc.path || child->inWire != desc.inWire;
            // A row a view has open stays open: its new children are announced below.
            const bool wasOpen = moved && child->populated && !child->children.empty();
            if (moved) {
                collapse(child);
                unwatch(child);
                if (child->kind == Desc::Kind::Store)
                    m_storeNodes.remove(child->storeId, child);
            }
            const bool jsonChanged = child->json != desc.json;
            static_cast<Desc &>(*child) = desc;
            if (moved) {
                if (child->kind == Desc::Kind::Store)
                    m_storeNodes.insert(child->storeId, child);
                watch(child);
            }
            // The row of a child store that stayed shows what only a change of that store
            // changes: its own id in storesChanged() refreshes it (a parent with thousands
            // of child stores is then refreshed without reading each of them).
            if (!moved && child->kind == Desc::Kind::Store) {
                ++i;
                ++j;
                continue;
            }
            const QString type = child->type, value = child->value;
            const bool expandable = child->expandable;
            present(child);
            if (wasOpen && child->expandable) {
                const QList<Desc> descs = describeChildren(child);
                // Populated (and empty) first: a view asking rowCount() before the insertion
                // must not make the rows itself.
                child->populated = true;
                updateSignature(child);
                if (!descs.isEmpty()) {
                    beginInsertRows(indexOf(child), 0, int(descs.size()) - 1);
                    child->children.reserve(size_t(descs.size()));
                    for (const Desc &d : descs) {
                        child->children.push_back(makeNode(child, d));
                        child->children.back()->row = int(child->children.size()) - 1;
                    }
                    endInsertRows();
                }
            }
            if (moved || jsonChanged || type != child->type || value != child->value
                || expandable != child->expandable) {
                child->changedAt = QDateTime::currentMSecsSinceEpoch();
                const QModelIndex index = indexOf(child);
                Q_EMIT dataChanged(index, index);
            }
            if (!moved)
                refresh(child);
            ++i;
            ++j;
            continue;
        }
        // A run of new keys, up to the next kept row.
        const qsizetype start = i;
        while (i < next.size() && !(j < children.size() && children[j]->key == next.at(i).key))
            ++i;
        const int count = int(i - start);
        beginInsertRows(parentIndex, int(j), int(j) + count - 1);
        std::vector<std::unique_ptr<Node>> made;
        made.reserve(size_t(count));
        for (qsizetype k = start; k < i; ++k)
            made.push_back(makeNode(node, next.at(k)));
        children.insert(children.begin() + qsizetype(j), std::make_move_iterator(made.begin()),
                        std::make_move_iterator(made.end()));
        for (size_t k = j; k < children.size(); ++k)
            children[k]->row = int(k);
        endInsertRows();
        j += size_t(count);
    }
}

void MusubiInspectorStoreModel::storesChanged(const QList<QJsonArray> &ids)
{
    for (const QJsonArray &id : ids) {
        const QStringList storeId = toIdList(id);
        if (storeId.isEmpty())
            refresh(m_root.get());
        // Looked up for each id: refreshing a parent may have removed rows of later ids.
        const QList<Node *> nodes = m_storeNodes.values(storeId);
        for (Node *node : nodes) {
            if (!m_storeNodes.contains(storeId, node))
                continue;
            refreshRow(node);
            refresh(node);
        }
    }
}

void MusubiInspectorStoreModel::storesRemoved(const QList<QJsonArray> &ids)
{
    // The parent of a removed store changed too and is refreshed from storesChanged();
    // a row whose parent was not listed is refreshed here.
    for (const QJsonArray &id : ids) {
        const QList<Node *> nodes = m_storeNodes.values(toIdList(id));
        for (Node *node : nodes) {
            if (m_storeNodes.contains(toIdList(id), node))
                refresh(node->parent);
        }
    }
}

/*!
    \reimp
*/
QModelIndex MusubiInspectorStoreModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column != 0 || row < 0)
        return {};
    Node *node = nodeOf(parent);
    populate(node);
    if (size_t(row) >= node->children.size())
        return {};
    return createIndex(row, 0, node->children[size_t(row)].get());
}

/*!
    \reimp
*/
QModelIndex MusubiInspectorStoreModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOf(nodeOf(child)->parent);
}

/*!
    \reimp

    Makes the children of \a parent if they were not made yet.
*/
int MusubiInspectorStoreModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    Node *node = nodeOf(parent);
    populate(node);
    return int(node->children.size());
}

/*!
    \reimp
*/
int MusubiInspectorStoreModel::columnCount(const QModelIndex &parent) const
{
    Q_UNUSED(parent);
    return 1;
}

/*!
    \reimp

    Answers without making the children of \a parent.
*/
bool MusubiInspectorStoreModel::hasChildren(const QModelIndex &parent) const
{
    const Node *node = nodeOf(parent);
    if (node == m_root.get())
        return !node->children.empty();
    return node->populated ? !node->children.empty() : node->expandable;
}

/*!
    \reimp
*/
QVariant MusubiInspectorStoreModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node *node = nodeOf(index);
    switch (role) {
    case Qt::DisplayRole:
        return QString(node->key + u": "_s + node->value);
    case KeyRole:
        return node->key;
    case ValueRole:
        return node->value;
    case TypeRole:
        return node->type;
    case ChangedAtRole:
        return node->changedAt;
    case StoreIdRole:
        return idText(node->storeId);
    default:
        return {};
    }
}

/*!
    \reimp
*/
QHash<int, QByteArray> MusubiInspectorStoreModel::roleNames() const
{
    return {
            {Qt::DisplayRole, "display"}, {KeyRole, "key"},
            {ValueRole, "value"},         {TypeRole, "type"},
            {ChangedAtRole, "changedAt"}, {StoreIdRole, "storeId"},
    };
}
