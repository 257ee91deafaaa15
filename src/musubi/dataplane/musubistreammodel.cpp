// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubistreammodel.h"
#include "musubilogging_p.h"

#include "musubijson_p.h"
#include "musubistreamop_p.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QLoggingCategory>
#include <QtCore/QSet>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcMusubiStream, "musubi.stream")

/*!
    \class MusubiStreamModel
    \inmodule MusubiCore
    \inheaderfile musubistreammodel.h
    \brief The materialised items of one stream (store id, stream name), as a list model.

    Roles:
    \list
    \li \c key (KeyRole): the item key, a string;
    \li \c item (ItemRole) and \c modelData (same value): the item as QVariant
        (objects as QVariantMap);
    \li one role per field of object items, named after the field. The field roles are
        taken from the keys of the first object item the model ever holds and stay fixed
        from then on (views cache role names); fields not among them are still reachable
        as \c{item.field}. Fields named \c key, \c item, \c modelData, \c index or
        \c model get no role of their own.
    \endlist
    Qt::DisplayRole (\c display) returns the item as text: scalars converted, objects and
    arrays as compact JSON.

    The list follows docs/protocol.md §6.2 exactly. Changes of one envelope are emitted as
    row signals, one begin/end pair per contiguous range (a re-insert of an existing key
    is a removal plus an insertion); the model resets only for an explicit \c reset op
    on a non-empty list.
*/

/*!
    \enum MusubiStreamModel::Role

    The roles of the model besides Qt::DisplayRole.

    \value KeyRole \c key: the item key, a string.
    \value ItemRole \c item: the item as QVariant (objects as QVariantMap).
    \value ModelDataRole \c modelData: the same value as ItemRole.
    \value FirstFieldRole The role of the first field of object items; the
           other fields follow in order.
*/

/*!
    \property MusubiStreamModel::storeId
    \brief the id of the store the stream belongs to, as a JSON array of strings.
*/

/*!
    \property MusubiStreamModel::name
    \brief the name of the stream field in its store.
*/

/*!
    \property MusubiStreamModel::count
    \brief the number of items.
*/

/*!
    \fn void MusubiStreamModel::countChanged()

    Emitted when the number of items changes.
*/

namespace Musubi::detail {

// The private part of a MusubiStreamModel: its rows and roles.
struct StreamModelPrivate
{
    QStringList storeId;
    QString name;
    QStringList keys;
    QList<QJsonValue> items;
    QSet<QString> keySet; // the keys, for O(1) upsert checks
    QStringList fieldRoles;
    bool rolesFixed = false;
    int resetCount = 0;
};

std::optional<StreamOp> StreamOp::decode(const QJsonValue &value, QString *error)
{
    auto fail = [error](const QString &message) -> std::optional<StreamOp> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (!value.isObject())
        return fail(u"stream op is not an object"_s);
    const QJsonObject o = value.toObject();
    StreamOp op;
    const QString kind = o.value("op"_L1).toString();
    if (kind == "reset"_L1)
        op.kind = Kind::Reset;
    else if (kind == "insert"_L1)
        op.kind = Kind::Insert;
    else if (kind == "delete"_L1)
        op.kind = Kind::Delete;
    else
        return fail(u"unknown stream op \"%1\""_s.arg(kind));
    const QJsonValue stream = o.value("stream"_L1);
    if (!stream.isString())
        return fail(u"\"stream\" is not a string"_s);
    op.stream = stream.toString();
    // A missing store_id means the root store (the oldest servers did not stamp it).
    const QJsonValue storeId = o.value("store_id"_L1);
    if (!storeId.isUndefined() && !storeId.isArray())
        return fail(u"\"store_id\" is not an array"_s);
    const QJsonArray ids = storeId.toArray();
    for (const QJsonValue &part : ids) {
        if (!part.isString())
            return fail(u"\"store_id\" holds a non-string"_s);
        op.storeId.append(part.toString());
    }
    if (op.kind == Kind::Reset)
        return op;
    const QJsonValue key = o.value("item_key"_L1);
    if (!key.isString())
        return fail(u"\"item_key\" is not a string"_s);
    op.itemKey = key.toString();
    if (op.kind == Kind::Delete)
        return op;
    if (!o.contains("item"_L1))
        return fail(u"insert without \"item\""_s);
    op.item = o.value("item"_L1);
    const QJsonValue at = o.value("at"_L1);
    if (at.isUndefined() || at.isNull()) {
        op.at = -1;
    } else {
        const std::optional<qint64> integer = jsonInteger(at);
        if (!integer)
            return fail(u"\"at\" is not an integer"_s);
        op.at = *integer;
    }
    const QJsonValue limit = o.value("limit"_L1);
    if (!limit.isUndefined() && !limit.isNull()) {
        const std::optional<qint64> integer = jsonInteger(limit);
        if (!integer)
            return fail(u"\"limit\" is not an integer or null"_s);
        op.limit = *integer;
    }
    return op;
}

qsizetype streamInsertIndex(qint64 at, qsizetype len)
{
    if (at == -1)
        return len;
    if (at <= 0)
        return 0;
    return qsizetype(qMin<qint64>(at, len));
}

void applyStreamOp(QList<StreamEntry> &list, const StreamOp &op)
{
    auto removeKey = [&list](const QString &key) {
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (list.at(i).key == key) {
                list.removeAt(i);
                return;
            }
        }
    };
    switch (op.kind) {
    case StreamOp::Kind::Reset:
        list.clear();
        return;
    case StreamOp::Kind::Delete:
        removeKey(op.itemKey);
        return;
    case StreamOp::Kind::Insert: {
        removeKey(op.itemKey);
        list.insert(streamInsertIndex(op.at, list.size()), StreamEntry{op.itemKey, op.item});
        if (!op.limit)
            return;
        const qint64 size = qAbs(*op.limit);
        if (size == 0) {
            list.clear();
        } else if (list.size() > size) {
            const qsizetype drop = list.size() - qsizetype(size);
            if (op.at == 0)
                list.remove(list.size() - drop, drop);
            else
                list.remove(0, drop);
        }
        return;
    }
    }
}

} // namespace Musubi::detail

using Musubi::detail::StreamEntry;
using Musubi::detail::StreamModelPrivate;
using Musubi::detail::StreamOp;

namespace {

// Applies ops to the model's rows, coalescing consecutive edits into one pending
// insertion run or one pending removal run, so that an envelope of 10,000 appends is a
// single beginInsertRows/endInsertRows pair. At most one run is pending at a time; the
// "logical" list is the real rows with the pending run applied.
class RowBatcher
{
public:
    RowBatcher(QSet<QString> &keySet, QStringList &keys, QList<QJsonValue> &items,
               const std::function<void(int, int)> &beginInsert,
               const std::function<void()> &endInsert,
               const std::function<void(int, int)> &beginRemove,
               const std::function<void()> &endRemove)
        : m_keySet(keySet)
        , m_keys(keys)
        , m_items(items)
        , m_beginInsert(beginInsert)
        , m_endInsert(endInsert)
        , m_beginRemove(beginRemove)
        , m_endRemove(endRemove)
    { }

    qsizetype logicalSize() const { return m_keys.size() - m_removeCount + m_insKeys.size(); }

    qsizetype logicalIndexOf(const QString &key) const
    {
        if (!m_keySet.contains(key))
            return -1;
        if (m_insActive) {
            const qsizetype p = m_insKeys.indexOf(key);
            if (p >= 0)
                return m_insStart + p;
        }
        const qsizetype r = m_keys.indexOf(key);
        if (r < 0)
            return -1;
        if (m_insActive)
            return r >= m_insStart ? r + m_insKeys.size() : r;
        if (m_removeCount > 0 && r >= m_removeStart)
            return r - m_removeCount; // r is never inside the pending range: it left the set
        return r;
    }

    void removeLogical(qsizetype i)
    {
        if (m_insActive) {
            if (i >= m_insStart && i < m_insStart + m_insKeys.size()) {
                m_keySet.remove(m_insKeys.at(i - m_insStart));
                m_insKeys.removeAt(i - m_insStart);
                m_insItems.removeAt(i - m_insStart);
                if (m_insKeys.isEmpty())
                    m_insActive = false;
                return;
            }
            flush();
        }
        if (m_removeCount > 0) {
            // Real index of logical row i while the pending range is still in the list.
            const qsizetype r = i >= m_removeStart ? i + m_removeCount : i;
            if (r == m_removeStart + m_removeCount) {
                m_keySet.remove(m_keys.at(r));
                ++m_removeCount;
                return;
            }
            if (r == m_removeStart - 1) {
                m_keySet.remove(m_keys.at(r));
                --m_removeStart;
                ++m_removeCount;
                return;
            }
            flush(); // not adjacent: logical and real indices agree again
        }
        m_keySet.remove(m_keys.at(i));
        m_removeStart = i;
        m_removeCount = 1;
    }

    void insertLogical(qsizetype i, const QString &key, const QJsonValue &item)
    {
        if (m_removeCount > 0)
            flush();
        if (m_insActive && (i < m_insStart || i > m_insStart + m_insKeys.size()))
            flush();
        if (!m_insActive) {
            m_insActive = true;
            m_insStart = i;
        }
        m_insKeys.insert(i - m_insStart, key);
        m_insItems.insert(i - m_insStart, item);
        m_keySet.insert(key);
    }

    void flush()
    {
        if (m_insActive) {
            const int first = int(m_insStart);
            const int last = int(m_insStart + m_insKeys.size() - 1);
            m_beginInsert(first, last);
            m_keys.insert(m_insStart, m_insKeys.size(), QString());
            m_items.insert(m_insStart, m_insKeys.size(), QJsonValue());
            for (qsizetype k = 0; k < m_insKeys.size(); ++k) {
                m_keys[m_insStart + k] = m_insKeys.at(k);
                m_items[m_insStart + k] = m_insItems.at(k);
            }
            m_insKeys.clear();
            m_insItems.clear();
            m_insActive = false;
            m_endInsert();
        }
        if (m_removeCount > 0) {
            m_beginRemove(int(m_removeStart), int(m_removeStart + m_removeCount - 1));
            m_keys.remove(m_removeStart, m_removeCount);
            m_items.remove(m_removeStart, m_removeCount);
            m_removeCount = 0;
            m_endRemove();
        }
    }

    void apply(const StreamOp &op)
    {
        switch (op.kind) {
        case StreamOp::Kind::Reset:
            // Only reached for an already empty list (a non-empty one resets the model).
            while (logicalSize() > 0)
                removeLogical(0);
            return;
        case StreamOp::Kind::Delete: {
            const qsizetype i = logicalIndexOf(op.itemKey);
            if (i >= 0)
                removeLogical(i);
            return;
        }
        case StreamOp::Kind::Insert: {
            const qsizetype existing = logicalIndexOf(op.itemKey);
            if (existing >= 0)
                removeLogical(existing);
            insertLogical(Musubi::detail::streamInsertIndex(op.at, logicalSize()), op.itemKey,
                          op.item);
            if (!op.limit)
                return;
            const qint64 size = qAbs(*op.limit);
            qsizetype len = logicalSize();
            if (size == 0) {
                while (logicalSize() > 0)
                    removeLogical(0);
            } else if (len > size) {
                qsizetype drop = len - qsizetype(size);
                while (drop-- > 0) {
                    if (op.at == 0)
                        removeLogical(logicalSize() - 1);
                    else
                        removeLogical(0);
                }
            }
            return;
        }
        }
    }

private:
    // The model's key set, kept equal to the logical list (so no per-envelope rebuild).
    QSet<QString> &m_keySet;
    QStringList &m_keys;
    QList<QJsonValue> &m_items;
    std::function<void(int, int)> m_beginInsert;
    std::function<void()> m_endInsert;
    std::function<void(int, int)> m_beginRemove;
    std::function<void()> m_endRemove;
    bool m_insActive = false;
    qsizetype m_insStart = 0;
    QStringList m_insKeys;
    QList<QJsonValue> m_insItems;
    qsizetype m_removeStart = 0;
    qsizetype m_removeCount = 0;
};

} // namespace

MusubiStreamModel::MusubiStreamModel(const QStringList &storeId, const QString &name,
                                     QObject *parent)
    : QAbstractListModel(parent)
    , d(std::make_unique<StreamModelPrivate>())
{
    d->storeId = storeId;
    d->name = name;
}

MusubiStreamModel::~MusubiStreamModel() = default;

/*!
    Returns the id of the store the stream belongs to, as a list of strings.
*/
QStringList MusubiStreamModel::storeIdList() const
{
    return d->storeId;
}

QString MusubiStreamModel::name() const
{
    return d->name;
}

int MusubiStreamModel::count() const
{
    return int(d->keys.size());
}

/*!
    Returns the item keys in list order.
*/
QStringList MusubiStreamModel::keys() const
{
    return d->keys;
}

/*!
    Returns how many times the model was reset (explicit \c reset of a non-empty list).
*/
int MusubiStreamModel::resetCount() const
{
    return d->resetCount;
}

QJsonArray MusubiStreamModel::storeIdJson() const
{
    return QJsonArray::fromStringList(d->storeId);
}

/*!
    Returns the items in list order (the stream's exposed value, docs/protocol.md §6.3).
*/
QJsonArray MusubiStreamModel::items() const
{
    QJsonArray out;
    for (const QJsonValue &item : d->items)
        out.append(item);
    return out;
}

/*!
    Returns the item at \a row, or undefined when \a row is out of range.
*/
QJsonValue MusubiStreamModel::itemAt(int row) const
{
    return row >= 0 && row < d->items.size() ? d->items.at(row) : QJsonValue(QJsonValue::Undefined);
}

/*!
    Returns the key of the item at \a row, or a null string when \a row is out of range.
*/
QString MusubiStreamModel::keyAt(int row) const
{
    return row >= 0 && row < d->keys.size() ? d->keys.at(row) : QString();
}

/*!
    Returns the row of the item with \a key, or -1.
*/
int MusubiStreamModel::indexOfKey(const QString &key) const
{
    return int(d->keys.indexOf(key));
}

int MusubiStreamModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(d->keys.size());
}

QVariant MusubiStreamModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    switch (role) {
    case KeyRole:
        return d->keys.at(row);
    case Qt::DisplayRole: {
        // Views want text: scalars as they are, containers as compact JSON.
        return Musubi::detail::compactJson(d->items.at(row));
    }
    case ItemRole:
    case ModelDataRole:
        return d->items.at(row).toVariant();
    default:
        break;
    }
    const int field = role - FirstFieldRole;
    if (field >= 0 && field < d->fieldRoles.size())
        return d->items.at(row).toObject().value(d->fieldRoles.at(field)).toVariant();
    return {};
}

QHash<int, QByteArray> MusubiStreamModel::roleNames() const
{
    QHash<int, QByteArray> roles{
            {Qt::DisplayRole, QByteArrayLiteral("display")},
            {KeyRole, QByteArrayLiteral("key")},
            {ItemRole, QByteArrayLiteral("item")},
            {ModelDataRole, QByteArrayLiteral("modelData")},
    };
    for (qsizetype i = 0; i < d->fieldRoles.size(); ++i)
        roles.insert(FirstFieldRole + int(i), d->fieldRoles.at(i).toUtf8());
    return roles;
}

void MusubiStreamModel::discoverRoles(const QJsonValue &item)
{
    if (d->rolesFixed || !item.isObject())
        return;
    declareRoles(item.toObject().keys());
}

/*!
    Fixes the item roles to \a fields (one role per key of an item; the names \c key,
    \c item, \c modelData, \c index, \c model and \c display are left out) before the
    first item arrives, so that a view set up on an empty stream already has them. The
    typed stores musubi-codegen writes declare the keys of the stream's item type. Has
    no effect once the roles are known (declared, or taken from the first item).
*/
void MusubiStreamModel::declareRoles(const QStringList &fields)
{
    if (d->rolesFixed)
        return;
    d->rolesFixed = true;
    static const QStringList reserved{u"key"_s,   u"item"_s,  u"modelData"_s,
                                      u"index"_s, u"model"_s, u"display"_s};
    for (const QString &field : fields) {
        if (!reserved.contains(field) && !d->fieldRoles.contains(field))
            d->fieldRoles.append(field);
    }
}

void MusubiStreamModel::applyOps(const QList<StreamOp> &ops)
{
    if (ops.isEmpty())
        return;
    const int before = count();
    for (const StreamOp &op : ops) {
        if (op.kind == StreamOp::Kind::Insert)
            discoverRoles(op.item);
    }

    bool hasReset = false;
    for (const StreamOp &op : ops)
        hasReset = hasReset || op.kind == StreamOp::Kind::Reset;

    if (hasReset && before > 0) {
        // An explicit reset of a non-empty list: the only case that resets the model.
        QList<StreamEntry> list;
        list.reserve(d->keys.size());
        for (qsizetype i = 0; i < d->keys.size(); ++i)
            list.append(StreamEntry{d->keys.at(i), d->items.at(i)});
        for (const StreamOp &op : ops)
            Musubi::detail::applyStreamOp(list, op);
        beginResetModel();
        d->keys.clear();
        d->items.clear();
        d->keySet.clear();
        for (const StreamEntry &entry : std::as_const(list)) {
            d->keys.append(entry.key);
            d->items.append(entry.item);
            d->keySet.insert(entry.key);
        }
        endResetModel();
        ++d->resetCount;
        qCDebug(lcMusubiStream) << "reset" << d->storeId << d->name << "to" << d->keys.size();
    } else {
        RowBatcher batcher(
                d->keySet, d->keys, d->items,
                [this](int first, int last) { beginInsertRows(QModelIndex(), first, last); },
                [this] { endInsertRows(); },
                [this](int first, int last) { beginRemoveRows(QModelIndex(), first, last); },
                [this] { endRemoveRows(); });
        for (const StreamOp &op : ops)
            batcher.apply(op);
        batcher.flush();
    }
    if (count() != before)
        Q_EMIT countChanged();
}
