// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiinspectorglobal.h"
#include "musubiinspectorlogmodel.h"
#include "musubiinspectorrootsmodel.h"
#include "musubiinspectorstoremodel.h"

#include <QtCore/QJsonObject>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QVariantMap>

class MusubiConnection;
class MusubiTrace;

class MUSUBI_INSPECTOR_EXPORT MusubiInspectorSession : public QObject
{
    Q_OBJECT
    Q_PROPERTY(MusubiConnection *connection READ connection WRITE setConnection NOTIFY
                       connectionChanged)
    Q_PROPERTY(QVariantMap connectionState READ connectionState NOTIFY connectionStateChanged)
    Q_PROPERTY(MusubiInspectorRootsModel *roots READ roots CONSTANT)
    Q_PROPERTY(MusubiInspectorLogModel *envelopes READ envelopes CONSTANT)
    Q_PROPERTY(MusubiInspectorLogModel *commands READ commands CONSTANT)
    Q_PROPERTY(MusubiInspectorLogModel *events READ events CONSTANT)
    Q_PROPERTY(
            QString selectedRoot READ selectedRoot WRITE setSelectedRoot NOTIFY selectedRootChanged)
    Q_PROPERTY(MusubiInspectorStoreModel *storeModel READ storeModel CONSTANT)
    Q_MOC_INCLUDE("musubiconnection.h")
public:
    explicit MusubiInspectorSession(QObject *parent = nullptr);
    ~MusubiInspectorSession() override;

    MusubiConnection *connection() const;
    void setConnection(MusubiConnection *connection);
    QVariantMap connectionState() const;
    MusubiInspectorRootsModel *roots() const;
    MusubiInspectorLogModel *envelopes() const;
    MusubiInspectorLogModel *commands() const;
    MusubiInspectorLogModel *events() const;
    QString selectedRoot() const;
    void setSelectedRoot(const QString &root);
    MusubiInspectorStoreModel *storeModel() const;

    Q_INVOKABLE void clearLogs();

Q_SIGNALS:
    void connectionChanged();
    void connectionStateChanged();
    void selectedRootChanged();

private:
    void record(const QJsonObject &record);
    void reread();
    void readConnectionState();
    void updateTree();

    QPointer<MusubiConnection> m_connection;
    QPointer<MusubiTrace> m_trace;
    QMetaObject::Connection m_recorded, m_destroyed;
    QVariantMap m_connectionState;
    QString m_selectedRoot;
    bool m_rootsPending = false;
    MusubiInspectorRootsModel *m_roots;
    MusubiInspectorLogModel *m_envelopes;
    MusubiInspectorLogModel *m_commands;
    MusubiInspectorLogModel *m_events;
    MusubiInspectorStoreModel *m_storeModel;
};
