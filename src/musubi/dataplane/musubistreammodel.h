// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QAbstractListModel>
#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonValue>
#include <QtCore/QList>
#include <QtCore/QSet>
#include <QtCore/QStringList>

#include <memory>

namespace Musubi::detail {
class StoreTreePrivate;
struct StreamModelPrivate;
struct StreamOp;
} // namespace Musubi::detail

/*!
    \class MusubiStreamModel
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
class MUSUBI_CORE_EXPORT MusubiStreamModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(QJsonArray storeId READ storeIdJson CONSTANT)
    Q_PROPERTY(QString name READ name CONSTANT)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        KeyRole = Qt::UserRole + 1,
        ItemRole,
        ModelDataRole,
        FirstFieldRole = Qt::UserRole + 16,
    };
    Q_ENUM(Role)

    ~MusubiStreamModel() override;

    QJsonArray storeIdJson() const;
    QStringList storeIdList() const;
    QString name() const;
    int count() const;

    //! Item keys in list order.
    QStringList keys() const;
    //! Items in list order (the stream's exposed value, docs/protocol.md §6.3).
    QJsonArray items() const;
    Q_INVOKABLE QJsonValue itemAt(int row) const;
    Q_INVOKABLE QString keyAt(int row) const;
    Q_INVOKABLE int indexOfKey(const QString &key) const;
    //! How many times the model was reset (explicit \c reset of a non-empty list).
    int resetCount() const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void countChanged();

private:
    MusubiStreamModel(const QStringList &storeId, const QString &name, QObject *parent);
    friend class Musubi::detail::StoreTreePrivate;

    void applyOps(const QList<Musubi::detail::StreamOp> &ops);
    void discoverRoles(const QJsonValue &item);

    std::unique_ptr<Musubi::detail::StreamModelPrivate> d;
};
