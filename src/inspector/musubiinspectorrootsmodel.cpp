// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiinspectorrootsmodel.h"

#include <algorithm>

using namespace Qt::StringLiterals;

/*!
    \class MusubiInspectorRootsModel
    \inmodule MusubiInspector
    \brief The roots mounted on a connection, one row per root, as
    MusubiTrace::roots() describes them.

    MusubiInspectorSession keeps it current: setRoots() compares the new list
    with the rows by root key and emits row insertions, removals and
    dataChanged() for the rows whose state changed, never a reset.
*/

/*!
    \enum MusubiInspectorRootsModel::Role

    \value RootRole the root key, \c{"<module>:<id>"}.
    \value ModuleRole the root module.
    \value IdRole the root instance id.
    \value StatusRole the MusubiRoot status name (e.g. \c live).
    \value PhaseRole the mount phase name (e.g. \c live, \c rejoining).
    \value VersionRole the state version.
    \value FromCacheRole whether the state shown came from the mount cache.
    \value FetchingRole whether a fresh state is on its way.
    \value ErrorRole the error text, if any.
    \value StateRole the whole row (QJsonObject).
*/

/*!
    Constructs an empty model with \a parent.
*/
MusubiInspectorRootsModel::MusubiInspectorRootsModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

/*!
    Destroys the model.
*/
MusubiInspectorRootsModel::~MusubiInspectorRootsModel() = default;

/*!
    \property MusubiInspectorRootsModel::count
    \brief the number of roots.
*/
int MusubiInspectorRootsModel::count() const
{
    return int(m_roots.size());
}

/*!
    Makes the rows \a roots (objects with a \c root key, sorted by it, as
    MusubiTrace::roots() returns them), with the fewest row changes.
*/
void MusubiInspectorRootsModel::setRoots(const QJsonArray &roots)
{
    QList<QJsonObject> next;
    next.reserve(roots.size());
    for (const QJsonValue &value : roots)
        next.append(value.toObject());
    std::sort(next.begin(), next.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(u"root"_s).toString() < b.value(u"root"_s).toString();
    });
    const int before = count();
    // Both lists are sorted: one merge pass.
    int row = 0;
    for (const QJsonObject &root : std::as_const(next)) {
        const QString key = root.value(u"root"_s).toString();
        while (row < count() && m_roots.at(row).value(u"root"_s).toString() < key) {
            beginRemoveRows(QModelIndex(), row, row);
            m_roots.removeAt(row);
            endRemoveRows();
        }
        if (row < count() && m_roots.at(row).value(u"root"_s).toString() == key) {
            if (m_roots.at(row) != root) {
                m_roots[row] = root;
                Q_EMIT dataChanged(index(row), index(row));
            }
        } else {
            beginInsertRows(QModelIndex(), row, row);
            m_roots.insert(row, root);
            endInsertRows();
        }
        ++row;
    }
    if (row < count()) {
        beginRemoveRows(QModelIndex(), row, count() - 1);
        m_roots.resize(row);
        endRemoveRows();
    }
    if (before != count())
        Q_EMIT countChanged();
}

/*!
    Returns the state of the root in \a row, or an empty object.
*/
QJsonObject MusubiInspectorRootsModel::rootAt(int row) const
{
    return m_roots.value(row);
}

/*!
    Returns the row of \a root (\c{"<module>:<id>"}), or -1.
*/
int MusubiInspectorRootsModel::indexOf(const QString &root) const
{
    for (int row = 0; row < count(); ++row) {
        if (m_roots.at(row).value(u"root"_s).toString() == root)
            return row;
    }
    return -1;
}

/*!
    \reimp
*/
int MusubiInspectorRootsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

/*!
    \reimp
*/
QVariant MusubiInspectorRootsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QJsonObject &root = m_roots.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case RootRole:
        return root.value(u"root"_s).toString();
    case ModuleRole:
        return root.value(u"module"_s).toString();
    case IdRole:
        return root.value(u"id"_s).toString();
    case StatusRole:
        return root.value(u"status"_s).toString();
    case PhaseRole:
        return root.value(u"phase"_s).toString();
    case VersionRole:
        return root.value(u"version"_s).toInteger();
    case FromCacheRole:
        return root.value(u"from_cache"_s).toBool();
    case FetchingRole:
        return root.value(u"fetching"_s).toBool();
    case ErrorRole:
        return root.value(u"error"_s).toString();
    case StateRole:
        return root;
    default:
        return {};
    }
}

/*!
    \reimp
*/
QHash<int, QByteArray> MusubiInspectorRootsModel::roleNames() const
{
    return {
            {Qt::DisplayRole, "display"}, {RootRole, "root"},           {ModuleRole, "module"},
            {IdRole, "rootId"},           {StatusRole, "status"},       {PhaseRole, "phase"},
            {VersionRole, "version"},     {FromCacheRole, "fromCache"}, {FetchingRole, "fetching"},
            {ErrorRole, "error"},         {StateRole, "state"},
    };
}
