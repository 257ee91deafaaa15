// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiroot.h"

#include <QtCore/QTimer>
#include <QtQml/QQmlParserStatus>
#include <QtQml/qqml.h>

class MusubiQmlConnection;

/*!
    \qmltype MusubiRoot
    \inqmlmodule Musubi
    \brief A mounted root store: its \c store, its status and its push events.

    The QML face of the C++ MusubiRoot. The instance id of the mount (the
    wire \c id) is the \c instanceId property, because \c id is reserved by
    QML; \c rootId is the read-only wire root id \c{"<module>:<instanceId>"}.

    The root mounts once the component is complete, \c active is true, a
    connection, a module and an instance id are set (and the connection, when
    it is a QML MusubiConnection, is active). It unmounts when \c active
    becomes false or the object is destroyed. Changing \c connection,
    \c module, \c instanceId or \c params while mounted remounts (one remount
    per event-loop turn, however many of them changed).

    \qml
    MusubiRoot {
        id: cart
        connection: connection
        module: "Shop.CartStore"
        instanceId: "cart-7"
        onEvent: (storeId, name, payload) => console.log(name, JSON.stringify(payload))
    }
    Text { text: cart.store ? cart.store.total : "" }
    \endqml

    \c store is the root MusubiStore (null until the first state arrives);
    the last good state stays readable while \c status is
    \c MusubiRoot.Reconnecting. Status values: \c MusubiRoot.Unmounted,
    \c Connecting, \c Live, \c Reconnecting, \c Failed (\c errorString says why).
*/
class MusubiQmlRoot : public MusubiRoot, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    Q_PROPERTY(bool active READ isActive WRITE setActive NOTIFY activeChanged)
    QML_NAMED_ELEMENT(MusubiRoot)

public:
    explicit MusubiQmlRoot(QObject *parent = nullptr);
    ~MusubiQmlRoot() override;

    //! Whether the root should be mounted; \c true by default.
    bool isActive() const { return m_active; }
    void setActive(bool active);

    void classBegin() override;
    void componentComplete() override;

    // The QML signal is called event(); keep QObject::event(QEvent *) visible.
    using MusubiRoot::event;

Q_SIGNALS:
    void activeChanged();
    /*! A push event of the store at \a storeId (\c [] is the root), emitted
        after the state of its envelope is visible to bindings. */
    void event(const QJsonArray &storeId, const QString &name, const QJsonValue &payload);

protected:
    void pushEvent(const QJsonArray &storeId, const QString &name,
                   const QJsonValue &payload) override;

private:
    bool shouldBeMounted() const;
    void scheduleUpdate(bool remount);
    void update();
    void trackConnection();

    bool m_active = true;
    bool m_complete = false;
    bool m_updateQueued = false;
    bool m_remount = false;
    QMetaObject::Connection m_connectionUsable;
    QTimer m_updateTimer;
};
