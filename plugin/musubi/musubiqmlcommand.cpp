// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiqmlcommand.h"

#include "musubicommandwatch_p.h"

#include <QtCore/QJsonObject>
#include <QtCore/QLoggingCategory>

using namespace Qt::StringLiterals;

/*!
    \qmltype MusubiCommand
    \inqmlmodule Musubi
    \brief A declarative command of a store, with its pending state, reply and error.

    The QML counterpart of upstream's \c useMusubiCommand:

    \code
    MusubiCommand { id: checkout; store: cart.store; name: "checkout" }
    Button {
        text: checkout.pending ? "Paying…" : "Pay"
        enabled: !checkout.pending
        onClicked: checkout.dispatch({ method: "card" })
    }
    Text { text: checkout.error ? checkout.error.message : "" }
    \endcode

    The command goes to \l store, or, instead, to the store at \l storeId
    (\c [] by default, the root store) of \l root; the second form needs no
    store object, so it works before the store exists and after it came
    back. When both are set, a non-null \l store wins.

    \qml
    MusubiCommand { id: addItem; root: shop; storeId: ["cart"]; name: "add" }
    \endqml

    dispatch(payload) sends the command; \l pending is true until its
    outcome arrives. On success \l reply holds the server's reply and
    succeeded(reply) is emitted; on failure \l error holds a
    MusubiCommandError value and failed(error) is emitted. \l error is \c null
    while there is no error (test it with \c{command.error === null} or
    simply \c{if (command.error)}); its \c kind is one of
    \c MusubiCommandError.Failed (\c reply holds the server's error
    response, \c code its code), \c Timeout, \c NotConnected,
    \c Disconnected, \c VersionMismatch or \c Unmounted. When dispatch() is
    called again while a call is pending, only the latest call's outcome is
    reported. reset() forgets the reply, the error and any pending call.

    A reply says nothing about whether the command's state change is already
    visible: read state from the store, not from the reply.

    \sa MusubiEventHandler
*/

/*!
    \qmlproperty MusubiStore MusubiCommand::store

    The store the command is sent to; \c null once that store vanished. Wins
    over \l root.
*/

/*!
    \qmlproperty MusubiRoot MusubiCommand::root

    With \l storeId, where the command goes when \l store is null.
*/

/*!
    \qmlproperty list<string> MusubiCommand::storeId

    With \l root: the id of the store the command goes to; \c [] (the root
    store) by default.
*/

/*!
    \qmlproperty string MusubiCommand::name

    The name of the command.
*/

/*!
    \qmlproperty bool MusubiCommand::pending
    \readonly

    True from dispatch() until the outcome of the latest call arrives (or reset()).
*/

/*!
    \qmlproperty var MusubiCommand::reply
    \readonly

    The reply of the last successful call, or \c undefined. A new dispatch()
    keeps it until its own outcome arrives; a failure clears it.
*/

/*!
    \qmlproperty var MusubiCommand::error
    \readonly

    The error of the last failed call (a MusubiCommandError value), or \c null.
    A new dispatch() clears it.
*/

/*!
    \qmlsignal MusubiCommand::succeeded(var reply)

    The latest call succeeded with \a reply (the new value of \l reply).
*/

/*!
    \qmlsignal MusubiCommand::failed(MusubiCommandError error)

    The latest call failed with \a error (the new value of \l error).
*/

/*!
    \qmlmethod void MusubiCommand::dispatch(object payload)

    Sends the command with \a payload (an object; empty when omitted). A call
    made while another is pending supersedes it: only the latest call's
    outcome is reported. Without a store and a root the call fails at once
    with \c MusubiCommandError.NotConnected.
*/

/*!
    \qmlmethod void MusubiCommand::reset()

    Forgets \l reply, \l error and any pending call (its outcome is ignored).
*/

MusubiQmlCommand::MusubiQmlCommand(QObject *parent)
    : QObject(parent)
{ }

MusubiQmlCommand::~MusubiQmlCommand() = default;

void MusubiQmlCommand::setStore(MusubiStore *store)
{
    if (m_store == store)
        return;
    disconnect(m_storeDestroyed);
    m_store = store;
    // QPointer alone would read null but not tell bindings; say it out loud.
    if (store) {
        m_storeDestroyed = connect(store, &QObject::destroyed, this, [this] {
            m_store = nullptr;
            Q_EMIT storeChanged();
        });
    }
    Q_EMIT storeChanged();
}

void MusubiQmlCommand::setRoot(MusubiRoot *root)
{
    if (m_root == root)
        return;
    disconnect(m_rootDestroyed);
    m_root = root;
    if (root) {
        m_rootDestroyed = connect(root, &QObject::destroyed, this, [this] {
            m_root = nullptr;
            Q_EMIT rootChanged();
        });
    }
    Q_EMIT rootChanged();
}

void MusubiQmlCommand::setStoreId(const QVariantList &storeId)
{
    const QJsonArray id = QJsonArray::fromVariantList(storeId);
    if (m_storeId == id)
        return;
    m_storeId = id;
    Q_EMIT storeIdChanged();
}

void MusubiQmlCommand::setName(const QString &name)
{
    if (m_name == name)
        return;
    m_name = name;
    Q_EMIT nameChanged();
}

void MusubiQmlCommand::dispatch(const QVariantMap &payload)
{
    const quint64 generation = ++m_generation;
    const QString command = m_name;
    // A new attempt starts clean; the previous reply stays until replaced.
    setOutcome(m_reply, QVariant::fromValue(nullptr));
    setPending(true);

    QFuture<QJsonValue> future;
    const QJsonObject body = QJsonObject::fromVariantMap(payload);
    if (m_store) {
        future = m_store->isAlive()
                ? m_store->dispatch(command, body)
                : QtFuture::makeExceptionalFuture<QJsonValue>(MusubiCommandError(
                        MusubiCommandError::Kind::NotConnected, command, m_store->storeIdJson(),
                        QJsonValue::Undefined, u"the store of the MusubiCommand vanished"_s));
    } else if (m_root) {
        future = m_root->dispatch(m_storeId, command, body);
    } else {
        // Same shape as the runtime's own refusal, so QML handles one kind of error.
        future = QtFuture::makeExceptionalFuture<QJsonValue>(MusubiCommandError(
                MusubiCommandError::Kind::NotConnected, command, m_storeId, QJsonValue::Undefined,
                u"MusubiCommand has neither a store nor a root"_s));
    }
    Musubi::detail::whenCommandFinished(
            future, this, command,
            [this, generation](const QJsonValue &reply) {
                if (generation != m_generation)
                    return;
                const QVariant value = reply.toVariant();
                setOutcome(value, QVariant::fromValue(nullptr));
                setPending(false);
                Q_EMIT succeeded(value);
            },
            [this, generation](const MusubiCommandError &error) {
                if (generation != m_generation)
                    return;
                setOutcome(QVariant(), QVariant::fromValue(error));
                setPending(false);
                Q_EMIT failed(error);
            });
}

void MusubiQmlCommand::reset()
{
    ++m_generation;
    setOutcome(QVariant(), QVariant::fromValue(nullptr));
    setPending(false);
}

void MusubiQmlCommand::setPending(bool pending)
{
    if (m_pending == pending)
        return;
    m_pending = pending;
    Q_EMIT pendingChanged();
}

void MusubiQmlCommand::setOutcome(const QVariant &reply, const QVariant &error)
{
    if (m_reply != reply) {
        m_reply = reply;
        Q_EMIT replyChanged();
    }
    if (m_error != error) {
        m_error = error;
        Q_EMIT errorChanged();
    }
}
