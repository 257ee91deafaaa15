// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubistorelistmodel.h"

#include "musubistore.h"
#include "musubistoretree.h"
#include "musubistoretree_p.h"

#include <QtCore/QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

/*!
    \class MusubiStoreListModel
    \inmodule MusubiCore
    \inheaderfile musubistorelistmodel.h
    \brief A store field that holds a list of child stores, as a list model.

    When the value of a store field is an array of child store nodes (a list the server
    renders as child stores, such as the todos of a todo list), the field's value is a
    MusubiStoreListModel instead of a plain list: one row per child store, keyed by
    store id. The same object stays the field's value for as long as the field holds an
    array of child stores (an empty array included), so a view over it is never reset.

    An array that is already empty when the store's object is made cannot be told apart
    from an empty list of plain values: the field reads as an empty plain list until its
    first child store arrives, and is the model from then on. \c{model: store.todos}
    works with both; count with \c{store.todos.count ?? store.todos.length}.

    Roles: \c store (StoreRole), the row's MusubiStore, made the first time the row is
    read; \c storeId (StoreIdRole), its id as an array of strings.
    \code
    ListView {
        model: todoList.store.todos          // a MusubiStoreListModel
        delegate: CheckDelegate {
            required property MusubiStore store
            text: store.title
            checked: store.done
            onClicked: store.dispatch("toggle")
        }
    }
    Label { text: qsTr("%1 todos").arg(todoList.store.todos.count) }
    \endcode

    Patches become row signals, after the envelope's store keys are written and before
    its stream rows: an \c add or \c remove at an index inserts or removes that row; a
    \c replace of the whole array becomes the smallest keyed difference (rows whose id
    stays are kept; rows that changed place are moved with beginMoveRows(), as few as
    possible), never a reset. A change of a row's own fields touches only that row's
    MusubiStore (its properties and MusubiStore::changed()), not the model.

    A list that holds anything else besides store nodes (plain values, or stores inside
    plain objects) stays a plain list whose store elements are MusubiStore objects.
    If a store id occurs twice in one list (a misbehaving server), the later occurrence
    is left out of the rows.

    The model belongs to the MusubiStoreTree (C++ ownership). It is deleted (later) when
    its store vanishes or the field stops holding a list of stores.

    \sa MusubiStore, MusubiStreamModel
*/

/*!
    \enum MusubiStoreListModel::Role

    \value StoreRole \c store: the row's MusubiStore (made on first read).
    \value StoreIdRole \c storeId: the row's store id, an array of strings.
*/

/*!
    \property MusubiStoreListModel::storeId
    \brief the id of the store whose field this is (an array of strings).
*/

/*!
    \property MusubiStoreListModel::name
    \brief the name of the field.
*/

/*!
    \property MusubiStoreListModel::count
    \brief the number of rows.
*/

MusubiStoreListModel::MusubiStoreListModel(MusubiStoreTree *tree, const QStringList &ownerId,
                                           const QString &name)
    : QAbstractListModel(tree)
    , m_tree(tree)
    , m_ownerId(ownerId)
    , m_name(name)
{ }

/*!
    Destroys the model. Models are deleted by their MusubiStoreTree, never by their users.
*/
MusubiStoreListModel::~MusubiStoreListModel() = default;

QJsonArray MusubiStoreListModel::storeIdJson() const
{
    return QJsonArray::fromStringList(m_ownerId);
}

/*!
    Returns the id of the store whose field this is, as a list of strings.
*/
QStringList MusubiStoreListModel::storeIdList() const
{
    return m_ownerId;
}

QString MusubiStoreListModel::name() const
{
    return m_name;
}

int MusubiStoreListModel::count() const
{
    return int(m_ids.size());
}

/*!
    Returns the store ids of the rows, in row order.
*/
QList<QStringList> MusubiStoreListModel::rowStoreIds() const
{
    return m_ids;
}

/*!
    Returns the MusubiStore of \a row (made now if nobody asked for it before), or
    \c nullptr when \a row is out of range.
*/
MusubiStore *MusubiStoreListModel::get(int row) const
{
    if (row < 0 || row >= m_ids.size() || !m_tree)
        return nullptr;
    return Musubi::detail::StoreTreePrivate::get(m_tree.data())->materialise(m_ids.at(row));
}

/*!
    Returns the store id of \a row as an array of strings, or an empty array when \a row
    is out of range.
*/
QJsonArray MusubiStoreListModel::storeIdAt(int row) const
{
    if (row < 0 || row >= m_ids.size())
        return {};
    return QJsonArray::fromStringList(m_ids.at(row));
}

/*!
    Returns the row of the store \a storeId (an array of strings), or -1.
*/
int MusubiStoreListModel::indexOfStoreId(const QJsonArray &storeId) const
{
    return indexOfStoreId(Musubi::detail::StoreTreePrivate::toStringList(storeId));
}

/*!
    \overload
    Returns the row of the store \a storeId (a list of strings), or -1.
*/
int MusubiStoreListModel::indexOfStoreId(const QStringList &storeId) const
{
    return int(m_ids.indexOf(storeId));
}

/*!
    \reimp
*/
int MusubiStoreListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ids.size());
}

/*!
    \reimp
*/
QVariant MusubiStoreListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    switch (role) {
    case StoreRole:
        return QVariant::fromValue(get(index.row()));
    case StoreIdRole:
        return QVariant::fromValue(QJsonArray::fromStringList(m_ids.at(index.row())));
    case Qt::DisplayRole:
        return m_ids.at(index.row()).join(u'/');
    default:
        return {};
    }
}

/*!
    \reimp
*/
QHash<int, QByteArray> MusubiStoreListModel::roleNames() const
{
    return {{StoreRole, "store"}, {StoreIdRole, "storeId"}};
}

void MusubiStoreListModel::initRowIds(const QList<QStringList> &ids)
{
    m_ids = ids;
}

namespace {

// The positions (into \a sequence) of one longest strictly increasing subsequence.
QList<qsizetype> longestIncreasing(const QList<qsizetype> &sequence)
{
    QList<qsizetype> tails; // tails[k]: position of the smallest tail of a run of length k+1
    QList<qsizetype> previous(sequence.size(), -1);
    for (qsizetype i = 0; i < sequence.size(); ++i) {
        const auto it = std::lower_bound(tails.begin(), tails.end(), sequence.at(i),
                                         [&sequence](qsizetype position, qsizetype value) {
                                             return sequence.at(position) < value;
                                         });
        const qsizetype length = it - tails.begin();
        if (length > 0)
            previous[i] = tails.at(length - 1);
        if (it == tails.end())
            tails.append(i);
        else
            *it = i;
    }
    QList<qsizetype> out(tails.size());
    qsizetype at = tails.isEmpty() ? -1 : tails.last();
    for (qsizetype k = out.size() - 1; k >= 0; --k) {
        out[k] = at;
        at = previous.at(at);
    }
    return out;
}

} // namespace

void MusubiStoreListModel::setRowIds(const QList<QStringList> &target)
{
    if (target == m_ids)
        return;
    const qsizetype countBefore = m_ids.size();
    const QSet<QStringList> wanted(target.cbegin(), target.cend());

    // 1. Rows whose store left the list, back to front, a contiguous range at a time.
    for (qsizetype i = m_ids.size() - 1; i >= 0; --i) {
        if (wanted.contains(m_ids.at(i)))
            continue;
        const qsizetype last = i;
        while (i > 0 && !wanted.contains(m_ids.at(i - 1)))
            --i;
        beginRemoveRows(QModelIndex(), int(i), int(last));
        m_ids.remove(i, last - i + 1);
        endRemoveRows();
    }

    // 2. Moves: the rows on a longest run already in target order stay; every other kept
    // row moves right behind its predecessor in the target order (or to the top).
    const QSet<QStringList> present(m_ids.cbegin(), m_ids.cend());
    QList<QStringList> kept;
    kept.reserve(m_ids.size());
    QHash<QStringList, qsizetype> rank;
    for (const QStringList &id : target) {
        if (present.contains(id)) {
            rank.insert(id, kept.size());
            kept.append(id);
        }
    }
    if (kept != m_ids) {
        QList<qsizetype> ranks;
        ranks.reserve(m_ids.size());
        for (const QStringList &id : std::as_const(m_ids))
            ranks.append(rank.value(id));
        QSet<QStringList> staying;
        const QList<qsizetype> run = longestIncreasing(ranks);
        for (qsizetype position : run)
            staying.insert(m_ids.at(position));
        for (qsizetype k = 0; k < kept.size(); ++k) {
            if (staying.contains(kept.at(k)))
                continue;
            const qsizetype from = m_ids.indexOf(kept.at(k));
            const qsizetype after = k == 0 ? -1 : m_ids.indexOf(kept.at(k - 1));
            const qsizetype destination = after + 1; // the row it goes before, pre-move
            if (destination == from || destination == from + 1)
                continue;
            beginMoveRows(QModelIndex(), int(from), int(from), QModelIndex(), int(destination));
            m_ids.move(from, destination > from ? destination - 1 : destination);
            endMoveRows();
        }
    }
    Q_ASSERT(m_ids == kept);

    // 3. New rows, top to bottom, a contiguous range at a time.
    for (qsizetype i = 0; i < target.size(); ++i) {
        if (present.contains(target.at(i)))
            continue;
        qsizetype last = i;
        while (last + 1 < target.size() && !present.contains(target.at(last + 1)))
            ++last;
        beginInsertRows(QModelIndex(), int(i), int(last));
        for (qsizetype j = i; j <= last; ++j)
            m_ids.insert(j, target.at(j));
        endInsertRows();
        i = last;
    }
    Q_ASSERT(m_ids == target);
    if (m_ids.size() != countBefore)
        Q_EMIT countChanged();
}
