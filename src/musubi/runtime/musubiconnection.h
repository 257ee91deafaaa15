// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QLoggingCategory>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QUrl>
#include <QtCore/QVariantMap>
#include <QtQml/QQmlParserStatus>
#include <QtQml/QJSValue>

#include <functional>
#include <memory>

class PhoenixSocket;
class MusubiRoot;

namespace Musubi::detail {
class ConnectionPrivate;
class RootMount;
class RootPrivate;
} // namespace Musubi::detail

/*!
    \class MusubiConnection
    \brief One Phoenix socket to a Musubi server, shared by every root mounted on it.

    A connection owns the PhoenixSocket and speaks one of the two wire
    profiles of docs/protocol.md §0:

    \list
    \li \c SharedChannel (Profile S, servers 0.4–0.11): one channel on
        baseTopic() carries explicit \c mount / \c unmount pushes.
    \li \c PerRootChannel (Profile R, servers 0.12+): one channel per root on
        \c{<baseTopic>:<module>:<id>}; join is the mount, leave the unmount.
    \li \c Auto (default): joins the shared topic first; a server that refuses
        that bare topic with \c unauthorized is a Profile R server, so the
        connection switches to per-root channels (logged once under
        \c musubi.connection). activeProtocol() tells which one is in use.
    \endlist

    Roots (MusubiRoot) of the same (module, id) on one connection share one
    mount: the first mount's params win and the last release unmounts.

    \code
    MusubiConnection connection;
    connection.setUrl(QUrl(u"ws://127.0.0.1:4000/socket"_s));
    connection.open();
    MusubiRoot cart(&connection, u"Shop.CartStore"_s, u"cart-7"_s);
    cart.mount();
    \endcode

    status() is the connection-level surface of docs/protocol.md §12: \c Connecting
    until the socket first opens, \c Connected while it is open, \c Reconnecting
    after it dropped, \c Closed before open() and after close().

    Created in C++, the connection is opened with open(); its properties are
    read then, and changing them afterwards takes effect on the next open().

    Created by QML (the \c MusubiConnection QML type), it manages itself: it
    opens once the component is complete, isActive() is true and url() is
    set, and closes when \c active becomes false, the URL is cleared or the
    object is destroyed. Changing \c url, \c params, \c protocol or
    \c baseTopic of an open connection reopens it, once per event-loop turn
    (roots keep their last good state and mount again). Roots created by
    QML stay unmounted while such a connection is inactive or has no URL.

    \qml
    MusubiConnection {
        id: connection
        url: "ws://127.0.0.1:4000/socket"
        params: ({ token: "secret" })
        uploaders: ({ s3: http })
    }
    MusubiHttpUploader { id: http }
    \endqml

    \section1 Authentication

    Credentials travel as connect params in the socket URL. A token that
    expires belongs in a params provider (setParamsProvider(), or the
    \c paramsProvider property in QML), called before every connection
    attempt including each reconnect; its result is merged over params().
    A server that refuses the WebSocket upgrade with one of
    unauthorizedStatusCodes() (default HTTP 401 and 403, what Phoenix answers
    when \c connect/3 returns an error) ends the reconnect loop: status()
    becomes \c Unauthorized, errorString() says why (e.g. "connection
    refused: HTTP 401 Unauthorized") and errorOccurred() is emitted once.
    Roots keep their last good state. Call open() (after refreshing the
    credentials) to try again. See docs/auth.md.

    \code
    connection.setParamsProvider([&auth] { return QVariantMap{{u"token"_s, auth.token()}}; });
    \endcode

    \sa MusubiRoot
*/
class MUSUBI_CORE_EXPORT MusubiConnection : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    Q_PROPERTY(QUrl url READ url WRITE setUrl NOTIFY urlChanged)
    Q_PROPERTY(QVariantMap params READ params WRITE setParams NOTIFY paramsChanged)
    Q_PROPERTY(QJSValue paramsProvider READ paramsProvider WRITE setParamsProvider NOTIFY
                       paramsProviderChanged)
    Q_PROPERTY(QList<int> unauthorizedStatusCodes READ unauthorizedStatusCodes WRITE
                       setUnauthorizedStatusCodes NOTIFY unauthorizedStatusCodesChanged)
    Q_PROPERTY(Protocol protocol READ protocol WRITE setProtocol NOTIFY protocolChanged)
    Q_PROPERTY(Protocol activeProtocol READ activeProtocol NOTIFY activeProtocolChanged)
    Q_PROPERTY(QString baseTopic READ baseTopic WRITE setBaseTopic NOTIFY baseTopicChanged)
    Q_PROPERTY(int heartbeatInterval READ heartbeatInterval WRITE setHeartbeatInterval NOTIFY
                       heartbeatIntervalChanged)
    Q_PROPERTY(int joinTimeout READ joinTimeout WRITE setJoinTimeout NOTIFY joinTimeoutChanged)
    Q_PROPERTY(int pushTimeout READ pushTimeout WRITE setPushTimeout NOTIFY pushTimeoutChanged)
    Q_PROPERTY(Status status READ status NOTIFY statusChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)
    Q_PROPERTY(bool active READ isActive WRITE setActive NOTIFY activeChanged)
    Q_PROPERTY(QVariantMap uploaders READ uploaders WRITE setUploaders NOTIFY uploadersChanged)

public:
    //! Which wire profile to speak (docs/protocol.md §0).
    enum class Protocol {
        Auto, //!< Detect: shared channel, falling back to per-root on \c unauthorized.
        SharedChannel, //!< Profile S: one \c musubi:connection channel, mount/unmount pushes.
        PerRootChannel, //!< Profile R: one channel per root, join = mount.
    };
    Q_ENUM(Protocol)

    //! Connection-level status (docs/protocol.md §12). Never blanks data; it annotates it.
    enum class Status {
        Connecting, //!< open() was called and the socket has not been open yet.
        Connected, //!< The socket is open.
        Reconnecting, //!< The socket was open and dropped; the Phoenix layer is retrying.
        Unauthorized, //!< The server refused the upgrade (HTTP 401/403); no retry until open().
        Closed, //!< Not opened, or close() was called.
    };
    Q_ENUM(Status)

    explicit MusubiConnection(QObject *parent = nullptr);
    ~MusubiConnection() override;

    //! Base socket URL, e.g. \c{ws://127.0.0.1:4000/socket} (\c /websocket is appended).
    QUrl url() const;
    void setUrl(const QUrl &url);

    //! Connect params sent in the socket URL's query string.
    QVariantMap params() const;
    void setParams(const QVariantMap &params);

    /*! Sets a function called before every connection attempt (the first and
        every reconnect); its result is merged over params() (its keys win).
        Use it for a token that expires. Takes precedence over a QML
        paramsProvider; an empty function removes it. */
    void setParamsProvider(std::function<QVariantMap()> provider);
    /*! The QML params provider: a JavaScript function called with no arguments
        before every connection attempt, returning an object merged over params().
        A value that is not a function, a call that throws or a result that is
        not an object is logged under \c musubi.connection and the static
        params() are used for that attempt. */
    QJSValue paramsProvider() const;
    void setParamsProvider(const QJSValue &provider);

    /*! HTTP statuses of a refused upgrade that stop reconnecting and set status()
        to \c Unauthorized (default 401 and 403). */
    QList<int> unauthorizedStatusCodes() const;
    void setUnauthorizedStatusCodes(const QList<int> &codes);

    //! The requested profile; \c Auto by default.
    Protocol protocol() const;
    void setProtocol(Protocol protocol);

    /*! The profile in use: \c SharedChannel or \c PerRootChannel once known,
        \c Auto while an \c Auto connection has not decided yet. */
    Protocol activeProtocol() const;

    //! Topic of the shared channel and prefix of per-root topics; default \c musubi:connection.
    QString baseTopic() const;
    void setBaseTopic(const QString &topic);

    //! Heartbeat interval in milliseconds; default 30000.
    int heartbeatInterval() const;
    void setHeartbeatInterval(int ms);

    /*! Join (and mount reply) timeout in milliseconds; default 10000. It also bounds the
        wait for the initial patch after a join or mount was accepted: a first mount then
        fails with "Root mount timed out: no initial patch", a remount starts over. */
    int joinTimeout() const;
    void setJoinTimeout(int ms);

    //! Command (and other push) reply timeout in milliseconds; default 10000.
    int pushTimeout() const;
    void setPushTimeout(int ms);

    Status status() const;

    //! The last error reported through errorOccurred(); empty when none.
    QString errorString() const;

    /*! The underlying Phoenix socket, owned by the connection: its knobs
        (PhoenixSocket::setMaxFrameSize()), its signals, and the transport and
        time seams tests inject before open() (PhoenixSocket::setTransport(),
        PhoenixSocket::setScheduler()). */
    PhoenixSocket *socket() const;

    /*! Registers an external uploader (docs/protocol.md §8.7) under \a name. The
        object is an uploader from the uploads API; the connection does not
        take ownership and forgets it when it is destroyed. */
    void registerUploader(const QString &name, QObject *uploader);
    //! Removes the uploader registered under \a name.
    void unregisterUploader(const QString &name);
    //! The uploader registered under \a name, or nullptr.
    QObject *uploader(const QString &name) const;

    /*! Every registered uploader by name (values are QObject pointers). Setting
        the map replaces every registered uploader; values that are not
        uploaders (MusubiHttpUploader, MusubiScriptUploader, other
        MusubiUploader subclasses) are reported and ignored. */
    QVariantMap uploaders() const;
    void setUploaders(const QVariantMap &uploaders);

    /*! Whether a connection created by QML should be open; \c true by
        default. Roots created by QML on an inactive connection stay
        unmounted. A connection created in C++ is opened with open() and
        ignores it. */
    bool isActive() const;
    void setActive(bool active);

    /*! \internal QQmlParserStatus: marks the connection as created by QML. */
    void classBegin() override;
    /*! \internal QQmlParserStatus: a connection created by QML opens now if it should. */
    void componentComplete() override;

public Q_SLOTS:
    /*! Opens the socket (idempotent). Roots mounted before open() wait and
        mount as soon as the socket and, for Profile S, the shared channel are up.
        While status() is \c Unauthorized it tries again (the params provider
        is asked anew). */
    void open();

    /*! Deliberately closes: leaves every channel, fails pending commands with
        \c Disconnected and closes the socket (never reconnects). Mounted roots
        keep their last good state and mount again on the next open(). */
    void close();

Q_SIGNALS:
    void urlChanged();
    void paramsChanged();
    void paramsProviderChanged();
    void unauthorizedStatusCodesChanged();
    void protocolChanged();
    void activeProtocolChanged();
    void baseTopicChanged();
    void heartbeatIntervalChanged();
    void joinTimeoutChanged();
    void pushTimeoutChanged();
    void statusChanged(MusubiConnection::Status status, MusubiConnection::Status oldStatus);
    void errorStringChanged();
    //! isActive() changed.
    void activeChanged();
    //! The set of registered uploaders changed.
    void uploadersChanged();
    //! A socket error or a refused shared-channel join, with the server's reason.
    void errorOccurred(const QString &message);

private:
    friend class MusubiRoot;
    friend class Musubi::detail::RootMount;
    friend class Musubi::detail::RootPrivate;
    friend class Musubi::detail::ConnectionPrivate;
    std::unique_ptr<Musubi::detail::ConnectionPrivate> d;
};
