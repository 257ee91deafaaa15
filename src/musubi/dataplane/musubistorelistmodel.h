// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QAbstractListModel>
#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QList>
#include <QtCore/QPointer>
#include <QtCore/QStringList>

class MusubiStore;
class MusubiStoreTree;

namespace Musubi::detail {
class StoreTreePrivate;
}

class MUSUBI_CORE_EXPORT MusubiStoreListModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(QJsonArray storeId READ storeIdJson CONSTANT)
    Q_PROPERTY(QString name READ name CONSTANT)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        StoreRole = Qt::UserRole + 1,
        StoreIdRole,
    };
    Q_ENUM(Role)

    ~MusubiStoreListModel() override;

    QJsonArray storeIdJson() const;
    QStringList storeIdList() const;
    QString name() const;
    int count() const;

    QList<QStringList> rowStoreIds() const;
    Q_INVOKABLE MusubiStore *get(int row) const;
    Q_INVOKABLE QJsonArray storeIdAt(int row) const;
    Q_INVOKABLE int indexOfStoreId(const QJsonArray &storeId) const;
    int indexOfStoreId(const QStringList &storeId) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void countChanged();

private:
    MusubiStoreListModel(MusubiStoreTree *tree, const QStringList &ownerId, const QString &name);
    friend class Musubi::detail::StoreTreePrivate;

    // Turns the rows into the given ids with row signals (removals, moves, insertions).
    void setRowIds(const QList<QStringList> &ids);
    // Sets the rows without signals (a model nobody has seen yet).
    void initRowIds(const QList<QStringList> &ids);

    QPointer<MusubiStoreTree> m_tree;
    QStringList m_ownerId;
    QString m_name;
    QList<QStringList> m_ids;
};
