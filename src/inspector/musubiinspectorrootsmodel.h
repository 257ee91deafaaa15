// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiinspectorglobal.h"

#include <QtCore/QAbstractListModel>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QList>

class MUSUBI_INSPECTOR_EXPORT MusubiInspectorRootsModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        RootRole = Qt::UserRole + 1,
        ModuleRole,
        IdRole,
        StatusRole,
        PhaseRole,
        VersionRole,
        FromCacheRole,
        FetchingRole,
        ErrorRole,
        StateRole,
    };
    Q_ENUM(Role)

    explicit MusubiInspectorRootsModel(QObject *parent = nullptr);
    ~MusubiInspectorRootsModel() override;

    int count() const;
    void setRoots(const QJsonArray &roots);
    Q_INVOKABLE QJsonObject rootAt(int row) const;
    Q_INVOKABLE int indexOf(const QString &root) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void countChanged();

private:
    QList<QJsonObject> m_roots; // sorted by root key, like MusubiTrace::roots()
};
