// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiconnection.h"

#include <QtCore/QMap>
#include <QtCore/QPointer>
#include <QtCore/QTimer>
#include <QtQml/QQmlParserStatus>
#include <QtQml/qqml.h>

/*!
    \qmltype MusubiConnection
    \inqmlmodule Musubi
    \brief One socket to a Musubi server, shared by every MusubiRoot that names it.

    The QML face of the C++ MusubiConnection. It opens itself once the
    component is complete, \c active is true and \c url is set, and closes
    when \c active becomes false, the URL is cleared or the object is
    destroyed. Changing \c url, \c params, \c protocol or \c baseTopic of an
    open connection reopens it (roots keep their last good state and mount
    again).

    \qml
    MusubiConnection {
        id: connection
        url: "ws://127.0.0.1:4000/socket"
        params: ({ token: "secret" })
    }
    \endqml

    External-mode uploads (docs/protocol.md §8.7) need an uploader registered
    under the name the server asks for; \c uploaders maps those names to
    MusubiHttpUploader or MusubiScriptUploader objects:

    \qml
    MusubiConnection {
        url: "ws://127.0.0.1:4000/socket"
        uploaders: ({ s3: http })
    }
    MusubiHttpUploader { id: http }
    \endqml

    Status values: \c MusubiConnection.Connecting, \c Ready, \c Reconnecting,
    \c Closed. Protocol values: \c MusubiConnection.Auto, \c SharedChannel,
    \c PerRootChannel.
*/
class MusubiQmlConnection : public MusubiConnection, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    Q_PROPERTY(bool active READ isActive WRITE setActive NOTIFY activeChanged)
    Q_PROPERTY(QVariantMap uploaders READ uploaders WRITE setUploaders NOTIFY uploadersChanged)
    QML_NAMED_ELEMENT(MusubiConnection)

public:
    explicit MusubiQmlConnection(QObject *parent = nullptr);
    ~MusubiQmlConnection() override;

    /*! Whether the connection should be open; \c true by default. Roots on an
        inactive connection stay unmounted. */
    bool isActive() const { return m_active; }
    void setActive(bool active);

    /*! External uploaders by the name the server's preflight reply uses
        (\c{"uploader": "s3"}). Values must be MusubiUploader objects; others
        are reported and ignored. Replacing the map unregisters the old names. */
    QVariantMap uploaders() const;
    void setUploaders(const QVariantMap &uploaders);

    //! Whether roots may mount on it now: active, complete and with a URL.
    bool isUsable() const { return m_active && m_complete && url().isValid() && !url().isEmpty(); }

    void classBegin() override;
    void componentComplete() override;

Q_SIGNALS:
    void activeChanged();
    void uploadersChanged();
    //! Emitted when isUsable() changes.
    void usableChanged();

private:
    void update();

    // Uploaders may be destroyed before the connection: never hand out a dangling one.
    QMap<QString, QPointer<QObject>> m_uploaders;
    bool m_active = true;
    bool m_complete = false;
    bool m_wasUsable = false;
    QTimer m_reopenTimer;
};
