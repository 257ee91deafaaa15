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

    QStringList keys() const;
    QJsonArray items() const;
    Q_INVOKABLE QJsonValue itemAt(int row) const;
    Q_INVOKABLE QString keyAt(int row) const;
    Q_INVOKABLE int indexOfKey(const QString &key) const;
    // Fixes the item roles before the first item arrives (the generated typed stores
    // know them from the manifest); no effect once the roles are known.
    void declareRoles(const QStringList &fields);
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
