// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiroot.h"
#include "musubistore.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonValue>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtQml/qqml.h>

class MusubiQmlEventHandler : public QObject
{
    Q_OBJECT
    Q_PROPERTY(MusubiStore *store READ store WRITE setStore NOTIFY storeChanged)
    Q_PROPERTY(MusubiRoot *root READ root WRITE setRoot NOTIFY rootChanged)
    Q_PROPERTY(QVariantList storeId READ storeId WRITE setStoreId NOTIFY storeIdChanged)
    Q_PROPERTY(QString name READ name WRITE setName NOTIFY nameChanged)
    Q_PROPERTY(bool enabled READ isEnabled WRITE setEnabled NOTIFY enabledChanged)
    QML_NAMED_ELEMENT(MusubiEventHandler)

public:
    explicit MusubiQmlEventHandler(QObject *parent = nullptr);
    ~MusubiQmlEventHandler() override;

    MusubiStore *store() const { return m_store; }
    void setStore(MusubiStore *store);

    MusubiRoot *root() const { return m_root; }
    void setRoot(MusubiRoot *root);

    // With root: the id of the store whose events are handled; []
    // (the root store) by default. A list of strings (QVariantList rather
    // than QJsonArray, which QML tooling does not know as a property type).
    QVariantList storeId() const { return m_storeId.toVariantList(); }
    void setStoreId(const QVariantList &storeId);

    QString name() const { return m_name; }
    void setName(const QString &name);

    bool isEnabled() const { return m_enabled; }
    void setEnabled(bool enabled);

Q_SIGNALS:
    void storeChanged();
    void rootChanged();
    void storeIdChanged();
    void nameChanged();
    void enabledChanged();
    // An event named name (any name when name is empty) with
    // payload arrived for the store at storeId; name is the
    // event's name, useful with an empty filter.
    void eventReceived(const QJsonArray &storeId, const QString &name, const QJsonValue &payload);

private:
    void deliver(const QJsonArray &storeId, const QString &name, const QJsonValue &payload);

    QPointer<MusubiStore> m_store;
    QPointer<MusubiRoot> m_root;
    QMetaObject::Connection m_storeEvents;
    QMetaObject::Connection m_storeDestroyed;
    QMetaObject::Connection m_rootEvents;
    QMetaObject::Connection m_rootDestroyed;
    QJsonArray m_storeId;
    QString m_name;
    bool m_enabled = true;
};
