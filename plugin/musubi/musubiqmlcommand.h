// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubicommanderror.h"
#include "musubiroot.h"
#include "musubistore.h"

#include <QtCore/QJsonArray>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QVariant>
#include <QtQml/qqml.h>

class MusubiQmlCommand : public QObject
{
    Q_OBJECT
    Q_PROPERTY(MusubiStore *store READ store WRITE setStore NOTIFY storeChanged)
    Q_PROPERTY(MusubiRoot *root READ root WRITE setRoot NOTIFY rootChanged)
    Q_PROPERTY(QVariantList storeId READ storeId WRITE setStoreId NOTIFY storeIdChanged)
    Q_PROPERTY(QString name READ name WRITE setName NOTIFY nameChanged)
    Q_PROPERTY(bool pending READ isPending NOTIFY pendingChanged)
    Q_PROPERTY(QVariant reply READ reply NOTIFY replyChanged)
    Q_PROPERTY(QVariant error READ error NOTIFY errorChanged)
    QML_NAMED_ELEMENT(MusubiCommand)

public:
    explicit MusubiQmlCommand(QObject *parent = nullptr);
    ~MusubiQmlCommand() override;

    // The store the command is sent to; null once that store vanished. Wins over root.
    MusubiStore *store() const { return m_store; }
    void setStore(MusubiStore *store);

    // With storeId, where the command goes when store is null.
    MusubiRoot *root() const { return m_root; }
    void setRoot(MusubiRoot *root);

    // With root: the id of the store the command goes to; [] (the root store) by default.
    // A list of strings (QVariantList rather than QJsonArray, which QML tooling does not know).
    QVariantList storeId() const { return m_storeId.toVariantList(); }
    void setStoreId(const QVariantList &storeId);

    QString name() const { return m_name; }
    void setName(const QString &name);

    bool isPending() const { return m_pending; }
    // The reply of the last successful call, or undefined.
    QVariant reply() const { return m_reply; }
    // The error of the last failed call (a MusubiCommandError value), or null.
    QVariant error() const { return m_error; }

    // Sends the command with payload (an object; empty when omitted).
    Q_INVOKABLE void dispatch(const QVariantMap &payload = {});
    // Forgets reply, error and any pending call (its outcome is ignored).
    Q_INVOKABLE void reset();

Q_SIGNALS:
    void storeChanged();
    void rootChanged();
    void storeIdChanged();
    void nameChanged();
    void pendingChanged();
    void replyChanged();
    void errorChanged();
    void succeeded(const QVariant &reply);
    // The last call failed with error (the new value of error).
    void failed(const MusubiCommandError &error);

private:
    void setPending(bool pending);
    void setOutcome(const QVariant &reply, const QVariant &error);

    QPointer<MusubiStore> m_store;
    QMetaObject::Connection m_storeDestroyed;
    QPointer<MusubiRoot> m_root;
    QMetaObject::Connection m_rootDestroyed;
    QJsonArray m_storeId;
    QString m_name;
    bool m_pending = false;
    QVariant m_reply;
    QVariant m_error = QVariant::fromValue(nullptr);
    // Each dispatch() takes a new generation; an outcome whose generation is
    // not the latest one is dropped (latest call wins).
    quint64 m_generation = 0;
};
