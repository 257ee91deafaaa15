// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <musubitestserver.h>
#include <musubiteststore.h>

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QUrl>
#include <QtQml/qqml.h>

// The server side of tests/codegen/manifest: roots of module Typed.Inbox whose state has
// every form the manifest declares. Usable from C++ and (as a QML singleton-free object)
// from QML tests.
class TypedFixture : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(TypedServer)
    Q_PROPERTY(QUrl url READ url CONSTANT)

public:
    explicit TypedFixture(QObject *parent = nullptr);
    QUrl url() const;
    MusubiTestServer *server() const { return m_server; }
    // The server-side root store of the last Typed.Inbox mount.
    Q_INVOKABLE MusubiTestStore *inbox() const { return m_inbox; }
    Q_INVOKABLE void setField(const QString &key, const QJsonValue &value);
    Q_INVOKABLE void setMessageField(const QString &id, const QString &key,
                                     const QJsonValue &value);
    Q_INVOKABLE void pushEvent(const QString &name, const QJsonValue &payload);
    Q_INVOKABLE void appendLog(const QString &id, const QString &text);
    Q_INVOKABLE void setTotals(int sum);
    Q_INVOKABLE void addMessage(const QString &id, const QString &subject);
    Q_INVOKABLE void removeMessage(const QString &id);

Q_SIGNALS:
    void mounted();

private:
    MusubiTestStore *createInbox(const QJsonObject &params);
    MusubiTestServer *m_server;
    QPointer<MusubiTestStore> m_inbox;
};
