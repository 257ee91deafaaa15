// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiasync.h"
#include "musubilogging_p.h"
#include "musubistoretree_p.h"
#include "musubiwiretree_p.h"

#include <QtCore/QSet>
#include <QtCore/QVarLengthArray>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Musubi::detail {

static const QLatin1StringView kStoreId("__musubi_store_id__");
static const QLatin1StringView kStream("__musubi_stream__");
static const QLatin1StringView kUpload("__musubi_upload__");
static const QLatin1StringView kAsync("__musubi_async__");

// ---- JsonPointer --------------------------------------------------------------------

std::optional<QStringList> JsonPointer::parse(const QString &pointer, QString *error)
{
    if (pointer.isEmpty())
        return QStringList();
    if (!pointer.startsWith(u'/')) {
        if (error)
            *error = u"pointer does not start with \"/\""_s;
        return std::nullopt;
    }
    QStringList tokens;
    QString token;
    for (qsizetype i = 1; i <= pointer.size(); ++i) {
        if (i == pointer.size() || pointer.at(i) == u'/') {
            tokens.append(token);
            token.clear();
            continue;
        }
        const QChar c = pointer.at(i);
        if (c == u'~') {
            const QChar next = i + 1 < pointer.size() ? pointer.at(i + 1) : QChar();
            if (next == u'0') {
                token.append(u'~');
            } else if (next == u'1') {
                token.append(u'/');
            } else {
                if (error)
                    *error = u"bad escape \"~\" at offset %1"_s.arg(i);
                return std::nullopt;
            }
            ++i;
            continue;
        }
        token.append(c);
    }
    return tokens;
}

QString JsonPointer::escapeToken(const QString &token)
{
    QString out = token;
    out.replace(u'~', "~0"_L1);
    out.replace(u'/', "~1"_L1);
    return out;
}

QString JsonPointer::build(const QStringList &tokens)
{
    QString out;
    for (const QString &token : tokens) {
        out.append(u'/');
        out.append(escapeToken(token));
    }
    return out;
}

std::optional<qsizetype> JsonPointer::arrayIndex(const QString &token)
{
    if (token.isEmpty() || token.size() > 15)
        return std::nullopt;
    if (token.size() > 1 && token.at(0) == u'0')
        return std::nullopt;
    qsizetype value = 0;
    for (const QChar c : token) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
        value = value * 10 + (c.unicode() - u'0');
    }
    return value;
}

// ---- WireValue / WireNode -----------------------------------------------------------

// The marker keys other than the store id (checked on its own).
static bool hasMarkerKey(const QJsonObject &object)
{
    return object.contains(kStream) || object.contains(kUpload) || object.contains(kAsync);
}

// Subtrees without any marker key stay as one QJsonValue ("opaque"): converting them into
// nodes would cost more than parsing them, and most of a tree is plain data. An op that
// writes inside one expands only the levels on its path (WireValue::expand()).
WireValue WireValue::fromJson(const QJsonValue &value, qsizetype *depth, qsizetype *stores)
{
    WireValue out;
    if (depth)
        *depth = 0;
    if (stores)
        *stores = 0;
    if (value.isObject() || value.isArray()) {
        qsizetype below = 0;
        qsizetype count = 0;
        out = fromJsonBelow(value, &below, &count, WireTree::MaxDepth + 1);
        if (depth)
            *depth = below;
        if (stores)
            *stores = count;
        return out;
    }
    out.scalar = value;
    return out;
}

// fromJson() of a container, with its nesting in \a depth (the container itself is 1).
// Scalars are only copied into a node that is being built: most of a mount is scanned, not
// converted (a scalar's type is read through the iterator, without making a QJsonValue).
WireValue WireValue::fromJsonBelow(const QJsonValue &value, qsizetype *depth, qsizetype *stores,
                                   qsizetype budget)
{
    WireValue out;
    *depth = 1;
    if (budget <= 1) {
        // Deeper than any tree may be (a value built in C++ can be; a parsed one cannot):
        // report it without descending, the caller refuses it.
        *depth = WireTree::MaxDepth + 1;
        out.scalar = value;
        return out;
    }
    const auto isContainer = [](QJsonValue::Type type) {
        return type == QJsonValue::Object || type == QJsonValue::Array;
    };
    const auto container = [depth, stores, budget](const QJsonValue &v) {
        qsizetype below = 0;
        WireValue result = fromJsonBelow(v, &below, stores, budget - 1);
        *depth = std::max(*depth, below + 1);
        return result;
    };
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        // Single pass: children are only kept once the first node child shows up; the
        // opaque ones before it are rebuilt from their JSON for free.
        std::shared_ptr<WireNode> node;
        const bool storeKey = object.contains(kStoreId);
        if (!storeKey && hasMarkerKey(object)) {
            node = std::make_shared<WireNode>();
            node->members().reserve(object.size());
        }
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (!isContainer(it->type())) {
                if (node)
                    node->members().insert(it.key(), WireValue{it.value(), nullptr});
                continue;
            }
            WireValue member = container(it.value());
            if (!node && member.node) {
                node = std::make_shared<WireNode>();
                node->members().reserve(object.size());
                for (auto before = object.constBegin(); before != it; ++before)
                    node->members().insert(before.key(), WireValue{before.value(), nullptr});
            }
            if (node)
                node->members().insert(it.key(), std::move(member));
        }
        if (!node && storeKey) {
            // A store with no marker below it: its members stay one JSON object until
            // someone needs them (WireNode::members()).
            node = std::make_shared<WireNode>();
            node->setLazyMembers(object);
        }
        if (!node) {
            out.scalar = value;
            return out;
        }
        node->classify();
        if (node->isStore())
            ++*stores;
        out.node = std::move(node);
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        std::shared_ptr<WireNode> node;
        qsizetype i = 0;
        for (auto it = array.constBegin(); it != array.constEnd(); ++it, ++i) {
            if (!isContainer(it->type())) {
                if (node)
                    node->items.append(WireValue{*it, nullptr});
                continue;
            }
            WireValue item = container(*it);
            if (!node && item.node) {
                node = std::make_shared<WireNode>();
                node->isArray = true;
                node->items.reserve(array.size());
                for (qsizetype before = 0; before < i; ++before)
                    node->items.append(WireValue{array.at(before), nullptr});
            }
            if (node)
                node->items.append(std::move(item));
        }
        if (!node) {
            out.scalar = value;
            return out;
        }
        out.node = std::move(node);
    }
    return out;
}

void WireValue::expand()
{
    if (node || !(scalar.isObject() || scalar.isArray()))
        return;
    auto expanded = std::make_shared<WireNode>();
    if (scalar.isArray()) {
        const QJsonArray array = scalar.toArray();
        expanded->isArray = true;
        expanded->items.reserve(array.size());
        for (const QJsonValue &item : array)
            expanded->items.append(WireValue{item, nullptr});
    } else {
        const QJsonObject object = scalar.toObject();
        expanded->members().reserve(object.size());
        for (auto it = object.constBegin(); it != object.constEnd(); ++it)
            expanded->members().insert(it.key(), WireValue{it.value(), nullptr});
        expanded->classify();
    }
    node = std::move(expanded);
    scalar = QJsonValue();
}

QJsonValue WireValue::toJson() const
{
    return node ? node->toJson() : scalar;
}

bool WireValue::equal(const WireValue &a, const WireValue &b)
{
    if (a.node.get() != nullptr && a.node == b.node)
        return true;
    if (!a.node && !b.node)
        return a.scalar == b.scalar;
    if (!a.node || !b.node) // one side is an opaque subtree: compare as JSON
        return a.toJson() == b.toJson();
    const WireNode &x = *a.node;
    const WireNode &y = *b.node;
    if (x.isArray != y.isArray)
        return false;
    if (x.isLazy() && y.isLazy())
        return x.rawObject() == y.rawObject();
    if (x.isArray) {
        if (x.items.size() != y.items.size())
            return false;
        for (qsizetype i = 0; i < x.items.size(); ++i) {
            if (!equal(x.items.at(i), y.items.at(i)))
                return false;
        }
        return true;
    }
    if (x.members().size() != y.members().size())
        return false;
    for (auto it = x.members().constBegin(); it != x.members().constEnd(); ++it) {
        const auto other = y.members().constFind(it.key());
        if (other == y.members().constEnd() || !equal(it.value(), other.value()))
            return false;
    }
    return true;
}

void WireNode::classify()
{
    marker = Marker::None;
    storeId.clear();
    slotName.clear();
    m_storeIdJson = QJsonArray();
    if (isArray)
        return;
    if (m_lazy) {
        // Only a store object is ever lazy; anything else is classified from its members.
        const QJsonValue id = m_raw.value(kStoreId);
        if (id.isArray()) {
            const QJsonArray array = id.toArray();
            QStringList parts;
            parts.reserve(array.size());
            bool ok = true;
            for (const QJsonValue &part : array) {
                if (!part.isString()) {
                    ok = false;
                    break;
                }
                parts.append(part.toString());
            }
            if (ok) {
                marker = Marker::Store;
                storeId = parts;
                m_storeIdJson = array;
                return;
            }
        }
        expandMembers();
    }
    const auto &members = m_members;
    const auto id = members.constFind(kStoreId);
    if (id != members.constEnd() && ((id->node && id->node->isArray) || id->scalar.isArray())) {
        QStringList parts;
        bool ok = true;
        if (id->node) {
            for (const WireValue &part : std::as_const(id->node->items)) {
                if (part.node || !part.scalar.isString()) {
                    ok = false;
                    break;
                }
                parts.append(part.scalar.toString());
            }
        } else {
            const QJsonArray array = id->scalar.toArray();
            for (const QJsonValue &part : array) {
                if (!part.isString()) {
                    ok = false;
                    break;
                }
                parts.append(part.toString());
            }
            if (ok)
                m_storeIdJson = array;
        }
        if (ok) {
            marker = Marker::Store;
            storeId = parts;
            return;
        }
    }
    if (members.size() == 1) {
        const auto it = members.constBegin();
        if (!it->node && it->scalar.isString()) {
            if (it.key() == kStream) {
                marker = Marker::StreamSlot;
                slotName = it->scalar.toString();
            } else if (it.key() == kUpload) {
                marker = Marker::UploadSlot;
                slotName = it->scalar.toString();
            }
        }
        return;
    }
    const auto async = members.constFind(kAsync);
    if (async != members.constEnd() && !async->node && async->scalar.isBool()
        && async->scalar.toBool()) {
        const auto status = members.constFind("status"_L1);
        if (status != members.constEnd() && !status->node && members.contains("result"_L1)
            && members.contains("reason"_L1)) {
            if (MusubiAsync::statusFromWire(status->scalar.toString()))
                marker = Marker::Async;
        }
    }
}

void WireNode::expandMembers() const
{
    m_members.reserve(m_raw.size());
    for (auto it = m_raw.constBegin(); it != m_raw.constEnd(); ++it)
        m_members.insert(it.key(), WireValue{it.value(), nullptr});
    m_raw = QJsonObject();
    m_lazy = false;
}

QJsonValue WireNode::toJson() const
{
    if (m_lazy)
        return m_raw;
    if (isArray) {
        QJsonArray array;
        for (const WireValue &item : items)
            array.append(item.toJson());
        return array;
    }
    QJsonObject object;
    for (auto it = m_members.constBegin(); it != m_members.constEnd(); ++it)
        object.insert(it.key(), it->toJson());
    return object;
}

// ---- WireTree -------------------------------------------------------------------------

WireTree::WireTree() = default;
WireTree::~WireTree() = default;

void WireTree::begin()
{
    m_undo.clear();
    m_indexBefore.clear();
    m_storeCountBefore.clear();
    m_fresh = m_index.isEmpty() && m_storeCount.isEmpty();
    m_duplicated.clear();
    m_freshOrder.clear();
    m_freshDropped = false;
}

// Records \a value under \a key of \a before unless the key is there already: one hash
// lookup (operator[] inserts a default, which the size change reveals).
template<typename Value>
static void keepFirst(QHash<QStringList, Value> &before, const QStringList &key, const Value &value)
{
    const qsizetype size = before.size();
    Value &slot = before[key];
    if (before.size() != size)
        slot = value;
}

void WireTree::setIndex(const QStringList &id, const WireNodePtr &node)
{
    ++m_indexTouches;
    if (node) {
        WireNodePtr &slot = m_index[id]; // one lookup; a new slot holds nullptr
        if (!m_fresh)
            keepFirst(m_indexBefore, id, slot);
        slot = node;
        return;
    }
    const auto it = m_index.find(id);
    if (!m_fresh)
        keepFirst(m_indexBefore, id, it == m_index.end() ? WireNodePtr() : it.value());
    if (it != m_index.end())
        m_index.erase(it);
}

qsizetype WireTree::countStore(const QStringList &id, qsizetype delta)
{
    qsizetype &count = m_storeCount[id];
    const qsizetype before = count;
    if (!m_fresh)
        keepFirst(m_storeCountBefore, id, before);
    count = before + delta;
    if (count > 0)
        return count;
    m_storeCount.remove(id);
    return 0;
}

// One store node, indexed under \a id, leaves the tree (or stops being a store).
void WireTree::dropStore(const WireNode *node, const QStringList &id)
{
    if (m_fresh)
        m_freshDropped = true;
    countStore(id, -1);
    const auto it = m_index.constFind(id);
    if (it == m_index.constEnd() || it->get() != node)
        return; // a duplicate that was not the indexed copy
    setIndex(id, nullptr);
    if (m_storeCount.contains(id))
        m_orphans.append(id);
}

// One store node enters the tree (or becomes a store): it is the indexed copy.
void WireTree::addStore(const WireNodePtr &node)
{
    const qsizetype copies = countStore(node->storeId, +1);
    if (copies > 1) {
        // Warned at commit() if it outlives the envelope: a per-index diff of a reordered
        // list renders ids twice for a moment, which is no fault.
        m_duplicated.append(node->storeId);
    } else if (m_fresh) {
        m_freshOrder.append(node);
    }
    setIndex(node->storeId, node);
}

// Ids whose indexed node left while other copies remain point at one of those copies
// again. Only input that renders an id twice gets here; the scan is then a full one.
void WireTree::reindexOrphans()
{
    if (m_orphans.isEmpty())
        return;
    QSet<QStringList> wanted;
    for (const QStringList &id : std::as_const(m_orphans)) {
        if (!m_index.contains(id) && m_storeCount.contains(id))
            wanted.insert(id);
    }
    m_orphans.clear();
    QList<const WireValue *> stack{&m_root};
    while (!wanted.isEmpty() && !stack.isEmpty()) {
        const WireValue *value = stack.takeLast();
        if (!value->node)
            continue;
        const WireNodePtr &node = value->node;
        if (node->isStore() && wanted.remove(node->storeId))
            setIndex(node->storeId, node);
        if (node->isArray) {
            for (const WireValue &item : std::as_const(node->items))
                stack.append(&item);
        } else {
            if (!node->isLazy()) { // a lazy node holds no markers below it
                for (const WireValue &member : std::as_const(node->members()))
                    stack.append(&member);
            }
        }
    }
}

// Drops index entries of every store node inside value (the value leaves the tree).
void WireTree::unindex(const WireValue &value)
{
    if (!value.node)
        return;
    WireNode *node = value.node.get();
    if (node->isStore())
        dropStore(node, node->storeId);
    if (node->isArray) {
        for (const WireValue &item : std::as_const(node->items))
            unindex(item);
    } else {
        if (!node->isLazy()) { // a lazy node holds no markers below it
            for (const WireValue &member : std::as_const(node->members()))
                unindex(member);
        }
    }
}

// Indexes every store node inside value (the value enters the tree).
void WireTree::reindex(const WireValue &value)
{
    if (!value.node)
        return;
    WireNode *node = value.node.get();
    if (node->isStore())
        addStore(value.node);
    if (node->isArray) {
        for (const WireValue &item : std::as_const(node->items))
            reindex(item);
    } else {
        if (!node->isLazy()) { // a lazy node holds no markers below it
            for (const WireValue &member : std::as_const(node->members()))
                reindex(member);
        }
    }
}

std::optional<OpError> WireTree::applyOp(const QJsonValue &opValue, OpEffect *effect)
{
    if (!opValue.isObject())
        return OpError{QString(), u"op is not an object"_s};
    const QJsonObject op = opValue.toObject();
    const QJsonValue kindValue = op.value("op"_L1);
    const QJsonValue pathValue = op.value("path"_L1);
    const QString path = pathValue.toString();
    if (!kindValue.isString())
        return OpError{path, u"\"op\" is missing or not a string"_s};
    const QString kind = kindValue.toString();
    if (kind != "add"_L1 && kind != "remove"_L1 && kind != "replace"_L1)
        return OpError{path, u"op \"%1\" is not allowed (only add, remove, replace)"_s.arg(kind)};
    if (!pathValue.isString())
        return OpError{path, u"\"path\" is missing or not a string"_s};
    QJsonValue value;
    const QJsonValue *valuePtr = nullptr;
    if (kind != "remove"_L1) {
        const auto it = op.constFind("value"_L1);
        if (it == op.constEnd())
            return OpError{path, u"\"%1\" without \"value\""_s.arg(kind)};
        value = it.value();
        valuePtr = &value;
    }
    QString error;
    const std::optional<QStringList> tokens = JsonPointer::parse(path, &error);
    if (!tokens)
        return OpError{path, error};
    const quint64 touchesBefore = m_indexTouches;
    auto result = applyParsed(kind, path, *tokens, valuePtr, effect);
    reindexOrphans();
    if (effect)
        effect->touchedStores = m_indexTouches != touchesBefore;
    return result;
}

bool WireTree::reclassify(const WireNodePtr &owner)
{
    WireNode *node = owner.get();
    const WireNode::Marker oldMarker = node->marker;
    const QStringList oldId = node->storeId;
    node->classify();
    if (node->marker == oldMarker && node->storeId == oldId)
        return false;
    // The object became or stopped being a store (or changed its id).
    if (oldMarker == WireNode::Marker::Store)
        dropStore(node, oldId);
    if (node->isStore())
        addStore(owner);
    return oldMarker == WireNode::Marker::Store || node->isStore();
}

std::optional<OpError> WireTree::applyParsed(const QString &kind, const QString &path,
                                             const QStringList &tokens, const QJsonValue *value,
                                             OpEffect *effect)
{
    const bool isAdd = kind == "add"_L1;
    const bool isRemove = kind == "remove"_L1;

    // The new value lands below tokens.size() containers. (The value comes out of a parsed
    // document, which Qt limits to 1024 levels, so converting it first is safe.)
    WireValue next;
    qsizetype newStores = 0;
    if (value) {
        qsizetype depth = 0;
        next = WireValue::fromJson(*value, &depth, &newStores);
        if (tokens.size() + depth > MaxDepth)
            return OpError{path, u"the value would nest deeper than %1 levels"_s.arg(MaxDepth)};
    }
    if (m_fresh && m_index.isEmpty() && newStores > 0) {
        // A mount: size the index once instead of growing it store by store.
        m_index.reserve(newStores);
        m_storeCount.reserve(newStores);
    }

    if (tokens.isEmpty()) {
        if (isRemove)
            return OpError{path, u"cannot remove the whole document"_s};
        WireValue old = m_root;
        const bool hadRoot = m_hasRoot;
        if (effect)
            effect->changed = !hadRoot || !WireValue::equal(old, next);
        unindex(old);
        m_root = next;
        m_hasRoot = true;
        reindex(m_root);
        m_undo.append([this, old, hadRoot] {
            m_root = old;
            m_hasRoot = hadRoot;
        });
        return std::nullopt;
    }
    if (!m_hasRoot)
        return OpError{path, u"the document is empty"_s};

    // Walk to the parent container of the target, collecting the stores on the way.
    WireValue *current = &m_root;
    QList<OpEffect::Step> storePath;
    const WireNode *nearestStore = nullptr;
    QVarLengthArray<WireValue *, 16> chain;
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        const QString &token = tokens.at(i);
        current->expand();
        chain.append(current);
        if (!current->node)
            return OpError{
                    path, u"\"%1\" is not a container"_s.arg(JsonPointer::build(tokens.mid(0, i)))};
        WireNode *node = current->node.get();
        if (node->isStore()) {
            storePath.append({node->storeId, token, i});
            nearestStore = node;
        }
        if (i + 1 == tokens.size())
            break;
        if (node->isArray) {
            const auto index = JsonPointer::arrayIndex(token);
            if (!index)
                return OpError{path, u"\"%1\" is not an array index"_s.arg(token)};
            if (*index >= node->items.size())
                return OpError{
                        path,
                        u"index %1 out of range (size %2)"_s.arg(*index).arg(node->items.size())};
            current = &node->items[*index];
        } else {
            const auto it = node->members().find(token);
            if (it == node->members().end())
                return OpError{path, u"member \"%1\" does not exist"_s.arg(token)};
            current = &it.value();
        }
    }

    WireNode *parent = current->node.get();
    const QString &last = tokens.last();
    if (m_fieldObserver && nearestStore)
        m_fieldObserver(*nearestStore, storePath.last().token);
    qsizetype identityChangedAt = -1;
    // Undo runs backwards, so this re-classification runs after the mutation is undone.
    for (qsizetype i = 0; i + 1 < chain.size(); ++i) {
        if (tokens.at(i) == kStoreId && !chain.at(i)->node->isArray)
            m_undo.append([n = chain.at(i)->node] { n->classify(); });
    }
    bool changed = true;
    if (parent->isArray) {
        qsizetype index = -1;
        if (last == "-"_L1) {
            if (!isAdd)
                return OpError{path, u"\"-\" is only valid for add"_s};
            index = parent->items.size();
        } else {
            const auto parsed = JsonPointer::arrayIndex(last);
            if (!parsed)
                return OpError{path, u"\"%1\" is not an array index"_s.arg(last)};
            index = *parsed;
            const qsizetype limit = isAdd ? parent->items.size() : parent->items.size() - 1;
            if (index > limit)
                return OpError{
                        path,
                        u"index %1 out of range (size %2)"_s.arg(index).arg(parent->items.size())};
        }
        if (isAdd) {
            parent->items.insert(index, next);
            reindex(next);
            m_undo.append([parent, index] { parent->items.removeAt(index); });
        } else if (isRemove) {
            WireValue old = parent->items.at(index);
            unindex(old);
            parent->items.removeAt(index);
            m_undo.append([parent, index, old] { parent->items.insert(index, old); });
        } else {
            WireValue old = parent->items.at(index);
            changed = !WireValue::equal(old, next);
            unindex(old);
            parent->items[index] = next;
            reindex(next);
            m_undo.append([parent, index, old] { parent->items[index] = old; });
        }
    } else {
        const auto it = parent->members().find(last);
        const bool exists = it != parent->members().end();
        if (!isAdd && !exists)
            return OpError{path, u"member \"%1\" does not exist"_s.arg(last)};
        std::optional<WireValue> old;
        if (exists)
            old = it.value();
        if (isRemove) {
            unindex(*old);
            parent->members().erase(it);
        } else {
            changed = !old || !WireValue::equal(*old, next);
            if (old)
                unindex(*old);
            parent->members().insert(last, next);
            reindex(next);
        }
        m_undo.append([parent, last, old] {
            if (old)
                parent->members().insert(last, *old);
            else
                parent->members().remove(last);
            parent->classify();
        });
        // Marker membership depends on the keys (single-key rule, async predicate).
        if (reclassify(current->node))
            identityChangedAt = chain.size() - 1;
    }
    // A store id edited in place (`replace /lines/1/__musubi_store_id__/1`, what a
    // per-index diff of list-rendered children produces) changes which store the
    // object is.
    for (qsizetype i = chain.size() - 2; i >= 0; --i) {
        if (tokens.at(i) == kStoreId && !chain.at(i)->node->isArray
            && reclassify(chain.at(i)->node))
            identityChangedAt = i;
    }
    if (effect) {
        effect->storePath = storePath;
        effect->changed = changed || identityChangedAt >= 0;
        effect->identityChangedAt = identityChangedAt;
    }
    return std::nullopt;
}

void WireTree::rollback()
{
    for (qsizetype i = m_undo.size() - 1; i >= 0; --i)
        m_undo.at(i)();
    m_undo.clear();
    m_duplicated.clear();
    if (m_fresh) {
        m_index.clear();
        m_storeCount.clear();
        m_orphans.clear();
        m_freshOrder.clear();
    }
    for (auto it = m_indexBefore.constBegin(); it != m_indexBefore.constEnd(); ++it) {
        if (it.value())
            m_index.insert(it.key(), it.value());
        else
            m_index.remove(it.key());
    }
    m_indexBefore.clear();
    for (auto it = m_storeCountBefore.constBegin(); it != m_storeCountBefore.constEnd(); ++it) {
        if (it.value() > 0)
            m_storeCount.insert(it.key(), it.value());
        else
            m_storeCount.remove(it.key());
    }
    m_storeCountBefore.clear();
}

QHash<QStringList, WireNodePtr> WireTree::commit(bool *fresh)
{
    if (fresh)
        *fresh = m_fresh;
    m_fresh = false;
    QSet<QStringList> warned;
    for (const QStringList &id : std::as_const(m_duplicated)) {
        if (m_storeCount.value(id) > 1 && !warned.contains(id)) {
            warned.insert(id);
            qCWarning(lcMusubiPatch).noquote()
                    << "store id" << QJsonArray::fromStringList(id)
                    << "is rendered more than once; the last copy entered is the one indexed";
        }
    }
    m_duplicated.clear();
    m_undo.clear();
    m_storeCountBefore.clear();
    QHash<QStringList, WireNodePtr> before;
    before.swap(m_indexBefore);
    return before;
}

void WireTree::clear()
{
    m_undo.clear();
    m_duplicated.clear();
    m_indexBefore.clear();
    m_index.clear();
    m_storeCount.clear();
    m_storeCountBefore.clear();
    m_orphans.clear();
    m_root = WireValue();
    m_hasRoot = false;
}

} // namespace Musubi::detail
