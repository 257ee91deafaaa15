// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <musubitestmount.h>
#include <musubiteststore.h>

#include <QtCore/QJsonObject>
#include <QtCore/QObject>
#include <QtQml/QJSValue>
#include <QtQml/qqml.h>

class MusubiQmlTestRootStore : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(MusubiTestRootStore)
    Q_PROPERTY(QString module READ module WRITE setModule NOTIFY moduleChanged)
    Q_PROPERTY(QJSValue initialState READ initialState WRITE setInitialState NOTIFY
                       initialStateChanged)
    Q_PROPERTY(QJSValue commands READ commands WRITE setCommands NOTIFY commandsChanged)
    Q_PROPERTY(QJSValue render READ render WRITE setRender NOTIFY renderChanged)
    Q_PROPERTY(
            QString refuseReason READ refuseReason WRITE setRefuseReason NOTIFY refuseReasonChanged)
    Q_PROPERTY(int mountCount READ mountCount NOTIFY mountCountChanged)

public:
    explicit MusubiQmlTestRootStore(QObject *parent = nullptr);

    QString module() const { return m_module; }
    void setModule(const QString &module);
    QJSValue initialState() const { return m_initialState; }
    void setInitialState(const QJSValue &state);
    QJSValue commands() const { return m_commands; }
    void setCommands(const QJSValue &commands);
    QJSValue render() const { return m_render; }
    void setRender(const QJSValue &render);
    QString refuseReason() const { return m_refuseReason; }
    void setRefuseReason(const QString &reason);
    // How many stores this definition has created.
    int mountCount() const { return m_mountCount; }

    // A command result meaning: error reply {"reason": reason}.
    Q_INVOKABLE QJsonObject replyError(const QString &reason) const;
    // A command result meaning: error reply with response verbatim.
    Q_INVOKABLE QJsonObject replyErrorResponse(const QJsonObject &response) const;
    // A command result meaning: crash the channel (phx_error).
    Q_INVOKABLE QJsonObject replyCrash() const;

    // Creates the store for one mount (called by the server's factory).
    MusubiTestStore *create(const MusubiTestMount &mount, QString *refusal);
    // Runs command name of store through the JS function.
    MusubiTestReply runCommand(MusubiTestStore *store, const QString &name,
                               const QJsonObject &payload);
    // Renders store through the JS render function (state if none).
    QJsonObject runRender(const MusubiTestStore *store);

Q_SIGNALS:
    void moduleChanged();
    void initialStateChanged();
    void commandsChanged();
    void renderChanged();
    void refuseReasonChanged();
    void mountCountChanged();
    // A store was created for a mount; runs before its initial render.
    void mounted(MusubiTestStore *store);

private:
    QString m_module;
    QJSValue m_initialState;
    QJSValue m_commands;
    QJSValue m_render;
    QString m_refuseReason;
    int m_mountCount = 0;
};
