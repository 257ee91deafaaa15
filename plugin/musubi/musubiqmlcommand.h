// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubistore.h"

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QVariant>
#include <QtQml/qqml.h>

/*!
    \qmltype MusubiCommand
    \inqmlmodule Musubi
    \brief A declarative command of a store, with its pending state, reply and error.

    The QML counterpart of upstream's \c useMusubiCommand:

    \qml
    MusubiCommand { id: checkout; store: cart.store; name: "checkout" }
    Button {
        text: checkout.pending ? "Paying…" : "Pay"
        enabled: !checkout.pending
        onClicked: checkout.dispatch({ method: "card" })
    }
    Text { text: checkout.error ? checkout.error.message : "" }
    \endqml

    \c dispatch(payload) sends the command; \c pending is true until its
    outcome arrives. On success \c reply holds the server's reply and
    succeeded(reply) is emitted; on failure \c error holds
    \c{{kind, code, message, command, storeId, reply}} and failed(error) is
    emitted (\c kind: \c failed, \c timeout, \c not_connected,
    \c disconnected, \c version_mismatch or \c unmounted). When dispatch() is
    called again while a call is pending, only the latest call's outcome is
    reported. reset() forgets the reply, the error and any pending call.

    A reply says nothing about whether the command's state change is already
    visible: read state from the store, not from the reply.
*/
class MusubiQmlCommand : public QObject
{
    Q_OBJECT
    Q_PROPERTY(MusubiStore *store READ store WRITE setStore NOTIFY storeChanged)
    Q_PROPERTY(QString name READ name WRITE setName NOTIFY nameChanged)
    Q_PROPERTY(bool pending READ isPending NOTIFY pendingChanged)
    Q_PROPERTY(QVariant reply READ reply NOTIFY replyChanged)
    Q_PROPERTY(QVariant error READ error NOTIFY errorChanged)
    QML_NAMED_ELEMENT(MusubiCommand)

public:
    explicit MusubiQmlCommand(QObject *parent = nullptr);
    ~MusubiQmlCommand() override;

    //! The store the command is sent to; null once that store vanished.
    MusubiStore *store() const { return m_store; }
    void setStore(MusubiStore *store);

    QString name() const { return m_name; }
    void setName(const QString &name);

    bool isPending() const { return m_pending; }
    //! The reply of the last successful call, or \c undefined.
    QVariant reply() const { return m_reply; }
    //! The error of the last failed call (an object), or \c null.
    QVariant error() const { return m_error; }

    //! Sends the command with \a payload (an object; empty when omitted).
    Q_INVOKABLE void dispatch(const QVariantMap &payload = {});
    //! Forgets reply, error and any pending call (its outcome is ignored).
    Q_INVOKABLE void reset();

Q_SIGNALS:
    void storeChanged();
    void nameChanged();
    void pendingChanged();
    void replyChanged();
    void errorChanged();
    void succeeded(const QVariant &reply);
    void failed(const QVariant &error);

private:
    void setPending(bool pending);
    void setOutcome(const QVariant &reply, const QVariant &error);

    QPointer<MusubiStore> m_store;
    QMetaObject::Connection m_storeDestroyed;
    QString m_name;
    bool m_pending = false;
    QVariant m_reply;
    QVariant m_error = QVariant::fromValue(nullptr);
    // Each dispatch() takes a new generation; an outcome whose generation is
    // not the latest one is dropped (latest call wins).
    quint64 m_generation = 0;
};
