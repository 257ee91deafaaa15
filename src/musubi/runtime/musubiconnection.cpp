// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiconnection.h"
#include "musubicache.h"
#include "musubicache_p.h"
#include "musubiconnection_p.h"
#include "musubijson_p.h"
#include "musubilogging_p.h"
#include "musubiperrootwire_p.h"
#include "musubiroot.h"
#include "musubiroot_p.h"
#include "musubirootmount_p.h"
#include "musubisharedwire_p.h"
#include "musubitrace_p.h"

#include <phoenixchannel.h>
#include <phoenixpush.h>
#include <phoenixsocket.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QMetaEnum>
#include <QtQml/QQmlInfo>

Q_LOGGING_CATEGORY(lcMusubiConnection, "musubi.connection")

using namespace Qt::StringLiterals;

namespace Musubi::detail {

ConnectionPrivate::ConnectionPrivate(MusubiConnection *q)
    : q(q)
    , socket(new PhoenixSocket(this))
    , baseTopic(u"musubi:connection"_s)
    , shared(new SharedChannel(this))
    , cache(new MusubiCache(q))
    , trace(new MusubiTrace(this))
{
    CachePrivate::get(cache)->schedulerSource = [this] {
        return socket->scheduler();
    };
    // A clean exit writes what the throttle still holds (the destructor may come too late
    // for a connection owned by a QML engine).
    if (QCoreApplication *app = QCoreApplication::instance())
        connect(app, &QCoreApplication::aboutToQuit, this, [this] { cache->flush(); });
    connect(socket, &PhoenixSocket::statusChanged, this,
            [this](PhoenixSocket::Status status, PhoenixSocket::Status oldStatus) {
                onSocketStatusChanged(int(status), int(oldStatus));
            });
    connect(socket, &PhoenixSocket::errorOccurred, this, [this](const QString &message) {
        qCDebug(lcMusubiConnection) << "socket error:" << message;
        reportError(message);
    });
}

ConnectionPrivate::~ConnectionPrivate()
{
    if (cache)
        CachePrivate::get(cache)->schedulerSource = nullptr;
}

QString ConnectionPrivate::rootTopic(const QString &rootId) const
{
    return baseTopic + u':' + rootId;
}

RootMount *ConnectionPrivate::acquire(MusubiRoot *holder, const QString &module, const QString &id,
                                      const QJsonObject &params)
{
    const QString key = module + u':' + id;
    RootMount *mount = mounts.value(key);
    const bool holderCaches = RootPrivate::get(holder)->cacheEnabled;
    if (!mount) {
        mount = new RootMount(this, module, id, params);
        mounts.insert(key, mount);
        mount->addHolder(holder);
        const bool useCache = cache->isEnabled();
        const QString cacheKey = useCache ? CachePrivate::keyOf(module, id, params) : QString();
        if (useCache && holderCaches)
            mount->useCache(cacheKey);
        if (mount->tracing()) {
            // (A listener must not delete the connection; MusubiTrace::recorded() says so.)
            QPointer<MusubiConnection> alive(q);
            mount->traceMounting();
            if (!alive)
                return nullptr;
        }
        // Register and join first, then read the cache (docs/protocol.md §15).
        mount->start();
        if (useCache) {
            CachePrivate *engine = CachePrivate::get(cache);
            engine->acquired(cacheKey);
            if (holderCaches) {
                // What the read found is reported only to a trace listened to now.
                std::function<void(const QJsonObject &)> report;
                if (mount->tracing())
                    report = [mount](const QJsonObject &found) {
                        mount->traceCache(found);
                    };
                engine->lookup(
                        cacheKey, mount,
                        [mount](const QJsonObject &data) { mount->adoptSeed(data); },
                        std::move(report));
            } else {
                engine->forget(cacheKey); // a root that opts out leaves nothing behind
            }
        }
        return mount;
    }
    if (!holderCaches)
        mount->refuseCache();
    // Same identity: one shared mount. The first mount's params win (docs/protocol.md §13).
    if (mount->params() != params)
        qCWarning(lcMusubiConnection).noquote()
                << "root" << key << "is already mounted with other params; the first params win";
    mount->addHolder(holder);
    if (mount->status() == MusubiRoot::Status::Failed)
        mount->start();
    return mount;
}

void ConnectionPrivate::release(MusubiRoot *holder, RootMount *mount)
{
    if (!mount)
        return;
    mount->removeHolder(holder);
}

void ConnectionPrivate::forget(RootMount *mount)
{
    const auto it = mounts.constFind(mount->key());
    if (it != mounts.cend() && it.value() == mount)
        mounts.erase(it);
}

QVariantMap ConnectionPrivate::providedParams() const
{
    if (paramsProvider)
        return paramsProvider();
    if (jsParamsProvider.isUndefined() || jsParamsProvider.isNull())
        return {};
    if (!jsParamsProvider.isCallable()) {
        qCWarning(lcMusubiConnection) << "paramsProvider is not a function: static params used";
        return {};
    }
    QJSValue provider = jsParamsProvider; // call() is not const
    const QJSValue result = provider.call();
    if (result.isError()) {
        qCWarning(lcMusubiConnection).noquote()
                << "paramsProvider threw:" << result.toString() << "- static params used";
        return {};
    }
    if (!result.isObject() || result.isArray() || result.isCallable()) {
        qCWarning(lcMusubiConnection).noquote() << "paramsProvider returned" << result.toString()
                                                << "instead of an object: static params used";
        return {};
    }
    return result.toVariant().toMap();
}

void ConnectionPrivate::open()
{
    if (m_opened) {
        // Unauthorized stopped the socket: try again with fresh credentials.
        if (status == MusubiConnection::Status::Unauthorized) {
            configureSocket();
            setStatus(MusubiConnection::Status::Connecting);
            socket->connectToServer();
        }
        return;
    }
    m_opened = true;
    configureSocket();
    setStatus(MusubiConnection::Status::Connecting);
    socket->connectToServer();
    if (socket->isOpen())
        setStatus(MusubiConnection::Status::Connected);

    switch (protocol) {
    case MusubiConnection::Protocol::PerRootChannel:
        setActiveProtocol(MusubiConnection::Protocol::PerRootChannel);
        startAll();
        break;
    case MusubiConnection::Protocol::SharedChannel:
        setActiveProtocol(MusubiConnection::Protocol::SharedChannel);
        shared->ensure();
        break;
    case MusubiConnection::Protocol::Auto:
        setActiveProtocol(MusubiConnection::Protocol::Auto);
        shared->ensure(); // its join reply decides
        break;
    }
}

void ConnectionPrivate::updateDeclarative()
{
    if (!declarative)
        return;
    const bool usable = isUsable();
    if (usable == wasUsable)
        return;
    wasUsable = usable;
    reopenTimer->stop();
    // The component is complete, so open() reads the final url, params and protocol.
    if (usable)
        open();
    else
        close();
    Q_EMIT usableChanged();
}

void ConnectionPrivate::configureSocket()
{
    socket->setUrl(url);
    socket->setParams(params);
    socket->setHeartbeatInterval(heartbeatInterval);
    socket->setDefaultTimeout(joinTimeout);
    socket->setUnauthorizedStatusCodes(unauthorizedCodes);
    // Asked on every attempt, so a provider set after open() counts too.
    socket->setParamsProvider([this] { return providedParams(); });
}

void ConnectionPrivate::close()
{
    if (!m_opened)
        return;
    m_opened = false;
    const auto all = mounts.values();
    for (RootMount *mount : all)
        mount->connectionClosing();
    shared->drop();
    socket->disconnectFromServer();
    setStatus(MusubiConnection::Status::Closed);
    // The next open() may reach another server (a new url): detect again.
    if (protocol == MusubiConnection::Protocol::Auto)
        setActiveProtocol(MusubiConnection::Protocol::Auto);
}

void ConnectionPrivate::attach(RootMount *mount)
{
    switch (active) {
    case MusubiConnection::Protocol::PerRootChannel:
    case MusubiConnection::Protocol::SharedChannel:
        wireFor(mount, active)->attach();
        break;
    case MusubiConnection::Protocol::Auto:
        shared->ensure(); // the join reply decides
        break;
    }
}

RootWire *ConnectionPrivate::wireFor(RootMount *mount, MusubiConnection::Protocol protocol)
{
    const bool perRoot = protocol == MusubiConnection::Protocol::PerRootChannel;
    RootWire *wire = mount->wire();
    if (perRoot ? !qobject_cast<PerRootWire *>(wire) : !qobject_cast<SharedRootWire *>(wire)) {
        if (perRoot)
            mount->setWire(std::make_unique<PerRootWire>(this, mount));
        else
            mount->setWire(std::make_unique<SharedRootWire>(this, mount));
    }
    return mount->wire();
}

void ConnectionPrivate::startAll()
{
    const auto all = mounts.values();
    for (RootMount *mount : all) {
        if (mount->status() != MusubiRoot::Status::Failed)
            mount->start();
    }
}

void ConnectionPrivate::onSocketStatusChanged(int status, int)
{
    switch (PhoenixSocket::Status(status)) {
    case PhoenixSocket::Status::Open:
        setStatus(MusubiConnection::Status::Connected);
        break;
    case PhoenixSocket::Status::Reconnecting: {
        if (m_opened)
            setStatus(this->status == MusubiConnection::Status::Connecting
                              ? MusubiConnection::Status::Connecting
                              : MusubiConnection::Status::Reconnecting);
        const auto all = mounts.values();
        for (RootMount *mount : all)
            mount->disconnected();
        break;
    }
    case PhoenixSocket::Status::Unauthorized: {
        if (m_opened)
            setStatus(MusubiConnection::Status::Unauthorized);
        const auto all = mounts.values();
        for (RootMount *mount : all)
            mount->disconnected();
        break;
    }
    case PhoenixSocket::Status::Connecting:
        break;
    case PhoenixSocket::Status::Closed:
        if (!m_opened)
            setStatus(MusubiConnection::Status::Closed);
        break;
    }
}

void ConnectionPrivate::setStatus(MusubiConnection::Status newStatus)
{
    if (status == newStatus)
        return;
    const auto old = status;
    status = newStatus;
    if (TraceSink::listening(trace)) {
        QPointer<MusubiConnection> alive(q);
        const QMetaEnum names = QMetaEnum::fromType<MusubiConnection::Status>();
        const QMetaEnum protocols = QMetaEnum::fromType<MusubiConnection::Protocol>();
        TraceSink::emitRecord(
                trace, u"status"_s,
                {{u"status"_s, TraceSink::enumName(names.valueToKey(int(newStatus)))},
                 {u"old"_s, TraceSink::enumName(names.valueToKey(int(old)))},
                 {u"protocol"_s, TraceSink::enumName(protocols.valueToKey(int(active)))},
                 {u"error"_s, errorString}});
        if (!alive)
            return;
    }
    Q_EMIT q->statusChanged(newStatus, old);
}

void ConnectionPrivate::setActiveProtocol(MusubiConnection::Protocol protocol)
{
    if (active == protocol)
        return;
    active = protocol;
    Q_EMIT q->activeProtocolChanged();
}

void ConnectionPrivate::reportError(const QString &message)
{
    if (errorString != message) {
        errorString = message;
        Q_EMIT q->errorStringChanged();
    }
    Q_EMIT q->errorOccurred(message);
}

} // namespace Musubi::detail

using Musubi::detail::ConnectionPrivate;

/*!
    \class MusubiConnection
    \inmodule MusubiCore
    \inheaderfile musubiconnection.h
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

    status() is the connection-level surface of docs/protocol.md §12:
    \c Connecting until the socket first opens, \c Connected while it is
    open, \c Reconnecting after it dropped, \c Unauthorized after the server
    refused the upgrade, \c Closed before open() and after close().

    Created in C++, the connection is opened with open(); its properties are
    read then, and changing them afterwards takes effect on the next open()
    (pushTimeout applies to every command sent after the change).

    Created by QML (the \l [QML] {MusubiConnection} QML type), it manages
    itself: it opens once the component is complete, isActive() is true and
    url() is set, and closes when \c active becomes false, the URL is cleared
    or the object is destroyed. Changing \c url, \c params, \c protocol or
    \c baseTopic of an open connection reopens it, once per event-loop turn
    (roots keep their last good state and mount again). Roots created by
    QML stay unmounted while such a connection is inactive or has no URL.

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

/*!
    \enum MusubiConnection::Protocol

    Which wire profile to speak (docs/protocol.md §0).

    \value Auto Detect: the shared channel, falling back to per-root
           channels when the server refuses it with \c unauthorized.
    \value SharedChannel Profile S: one channel on baseTopic()
           (\c musubi:connection by default) with mount/unmount pushes.
    \value PerRootChannel Profile R: one channel per root, join = mount.
*/

/*!
    \enum MusubiConnection::Status

    Connection-level status (docs/protocol.md §12). It never blanks data;
    it annotates it.

    \value Connecting open() was called and the socket has not been open yet.
    \value Connected The socket is open.
    \value Reconnecting The socket was open and dropped; the Phoenix layer
           is retrying.
    \value Unauthorized The server refused the upgrade with one of
           unauthorizedStatusCodes() (HTTP 401 and 403 by default); no retry
           until open().
    \value Closed Not opened, or close() was called.
*/

/*!
    \property MusubiConnection::url
    \brief the base socket URL, e.g. \c{ws://127.0.0.1:4000/socket}
    (\c /websocket is appended).
*/

/*!
    \property MusubiConnection::params
    \brief the connect params sent in the socket URL's query string.

    A params provider's result is merged over them on every attempt.

    \sa paramsProvider
*/

/*!
    \property MusubiConnection::paramsProvider
    \brief the QML params provider.

    A JavaScript function called with no arguments before every connection
    attempt (the first and every reconnect), returning an object merged over
    params() (its keys win). A value that is not a function, a call that
    throws or a result that is not an object is logged under
    \c musubi.connection and the static params() are used for that attempt.
    A C++ provider set with setParamsProvider() takes precedence.
*/

/*!
    \property MusubiConnection::unauthorizedStatusCodes
    \brief the HTTP statuses of a refused upgrade that stop reconnecting and
    set status() to \c Unauthorized (default 401 and 403).

    Other refusals (e.g. 500) and network failures keep retrying.
*/

/*!
    \property MusubiConnection::protocol
    \brief the requested wire profile; \c Auto by default.

    \sa activeProtocol
*/

/*!
    \property MusubiConnection::activeProtocol
    \brief the profile in use.

    \c SharedChannel or \c PerRootChannel once known, \c Auto while an
    \c Auto connection has not decided yet. close() makes an \c Auto
    connection detect again on the next open() (it may reach another
    server).
*/

/*!
    \property MusubiConnection::baseTopic
    \brief the topic of the shared channel and prefix of per-root topics;
    \c musubi:connection by default.
*/

/*!
    \property MusubiConnection::heartbeatInterval
    \brief the heartbeat interval in milliseconds; 30000 by default.

    0 or less disables the heartbeat (PhoenixSocket::setHeartbeatInterval()).
*/

/*!
    \property MusubiConnection::joinTimeout
    \brief the join (and mount reply) timeout in milliseconds; 10000 by
    default.

    It also bounds the wait for the initial patch after a join or mount was
    accepted: a first mount then fails with "Root mount timed out: no
    initial patch", a remount starts over.
*/

/*!
    \property MusubiConnection::pushTimeout
    \brief the command (and other push) reply timeout in milliseconds; 10000
    by default.

    A command without a reply in time fails with
    MusubiCommandError::Timeout.
*/

/*!
    \property MusubiConnection::status
    \brief the connection-level status.

    statusChanged() carries the previous status too.
*/

/*!
    \property MusubiConnection::errorString
    \brief the last error reported through errorOccurred(); empty when none.
*/

/*!
    \property MusubiConnection::active
    \brief whether a connection created by QML should be open; \c true by
    default.

    Roots created by QML on an inactive connection stay unmounted. A
    connection created in C++ is opened with open() and ignores it.
*/

/*!
    \property MusubiConnection::cache
    \brief the mount cache of this connection's roots (off by default).

    In QML a grouped property:
    \code
    MusubiConnection {
        url: "ws://localhost:4000/socket/websocket"
        cache.enabled: true
        cache.storage: MusubiCache.Disk
    }
    \endcode

    \sa MusubiCache, MusubiRoot::fromCache, clearCache()
*/

/*!
    Drops every saved entry of the mount cache; the state of mounted roots
    stays. The same as \c{cache()->clear()}.
*/
void MusubiConnection::clearCache()
{
    d->cache->clear();
}

MusubiCache *MusubiConnection::cache() const
{
    return d->cache;
}

/*!
    \property MusubiConnection::trace
    \brief the trace of this connection: records of its status, envelopes,
    commands, events, root phases and cache lookups, built only while
    something listens.

    The \c MusubiInspector panel (module \c Musubi.Inspector) and
    \c{musubi-cli --trace} read it; see \l{Inspecting a running app}.

    \sa MusubiTrace
*/
MusubiTrace *MusubiConnection::trace() const
{
    return d->trace;
}

/*!
    \property MusubiConnection::uploaders
    \brief every registered external uploader by name (values are QObject
    pointers).

    External-mode uploads (docs/protocol.md §8.7) need an uploader
    registered under the name the server's preflight reply uses
    (\c{"uploader": "s3"}). Setting the map replaces every registered
    uploader; values that are not uploaders (MusubiHttpUploader,
    MusubiScriptUploader, other MusubiUploader subclasses) are reported and
    ignored. An uploader that is destroyed drops out of the map.

    \sa registerUploader()
*/

/*!
    \fn void MusubiConnection::statusChanged(MusubiConnection::Status status,
                                             MusubiConnection::Status oldStatus)

    Emitted on every status edge, from \a oldStatus to \a status.
*/

/*!
    \fn void MusubiConnection::errorOccurred(const QString &message)

    Emitted with \a message for a socket error (including a refused upgrade)
    or a refused shared-channel join, with the server's reason.

    \sa errorString
*/

/*!
    Constructs a closed connection with \a parent.
*/
MusubiConnection::MusubiConnection(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<ConnectionPrivate>(this))
{ }

/*!
    Destroys the connection: every holder of its roots becomes \c Unmounted and
    pending commands fail with \c Disconnected.
*/
MusubiConnection::~MusubiConnection()
{
    // What the write throttle still holds goes to the cache while the mounts exist.
    d->cache->flush();
    const auto all = d->mounts.values();
    for (Musubi::detail::RootMount *mount : all) {
        const auto holders = mount->holders();
        for (MusubiRoot *holder : holders)
            Musubi::detail::RootPrivate::get(holder)->detach();
        mount->disconnected();
    }
    // Out of the registry first: what a mount reports while deleted must not reach the others.
    d->mounts.clear();
    qDeleteAll(all);
    QObject::disconnect(d->socket, nullptr, d.get(), nullptr);
    d->socket->disconnectFromServer();
}

QUrl MusubiConnection::url() const
{
    return d->url;
}

void MusubiConnection::setUrl(const QUrl &url)
{
    if (d->url == url)
        return;
    d->url = url;
    Q_EMIT urlChanged();
}

QVariantMap MusubiConnection::params() const
{
    return d->params;
}

void MusubiConnection::setParams(const QVariantMap &params)
{
    if (d->params == params)
        return;
    d->params = params;
    Q_EMIT paramsChanged();
}

/*!
    Sets \a provider, a function called before every connection attempt (the
    first and every reconnect); its result is merged over params() (its
    keys win). Use it for a token that expires. It takes precedence over a
    QML paramsProvider; an empty function removes it. A provider set after
    open() counts from the next attempt on.
*/

void MusubiConnection::setParamsProvider(std::function<QVariantMap()> provider)
{
    d->paramsProvider = std::move(provider);
}

QJSValue MusubiConnection::paramsProvider() const
{
    return d->jsParamsProvider;
}

void MusubiConnection::setParamsProvider(const QJSValue &provider)
{
    if (d->jsParamsProvider.strictlyEquals(provider))
        return;
    d->jsParamsProvider = provider;
    Q_EMIT paramsProviderChanged();
}

QList<int> MusubiConnection::unauthorizedStatusCodes() const
{
    return d->unauthorizedCodes;
}

void MusubiConnection::setUnauthorizedStatusCodes(const QList<int> &codes)
{
    if (d->unauthorizedCodes == codes)
        return;
    d->unauthorizedCodes = codes;
    Q_EMIT unauthorizedStatusCodesChanged();
}

MusubiConnection::Protocol MusubiConnection::protocol() const
{
    return d->protocol;
}

void MusubiConnection::setProtocol(Protocol protocol)
{
    if (d->protocol == protocol)
        return;
    d->protocol = protocol;
    Q_EMIT protocolChanged();
}

MusubiConnection::Protocol MusubiConnection::activeProtocol() const
{
    return d->active;
}

QString MusubiConnection::baseTopic() const
{
    return d->baseTopic;
}

void MusubiConnection::setBaseTopic(const QString &topic)
{
    if (d->baseTopic == topic)
        return;
    d->baseTopic = topic;
    Q_EMIT baseTopicChanged();
}

int MusubiConnection::heartbeatInterval() const
{
    return d->heartbeatInterval;
}

void MusubiConnection::setHeartbeatInterval(int ms)
{
    if (d->heartbeatInterval == ms)
        return;
    d->heartbeatInterval = ms;
    Q_EMIT heartbeatIntervalChanged();
}

int MusubiConnection::joinTimeout() const
{
    return d->joinTimeout;
}

void MusubiConnection::setJoinTimeout(int ms)
{
    if (d->joinTimeout == ms)
        return;
    d->joinTimeout = ms;
    Q_EMIT joinTimeoutChanged();
}

int MusubiConnection::pushTimeout() const
{
    return d->pushTimeout;
}

void MusubiConnection::setPushTimeout(int ms)
{
    if (d->pushTimeout == ms)
        return;
    d->pushTimeout = ms;
    Q_EMIT pushTimeoutChanged();
}

MusubiConnection::Status MusubiConnection::status() const
{
    return d->status;
}

QString MusubiConnection::errorString() const
{
    return d->errorString;
}

/*!
    Returns the underlying Phoenix socket, owned by the connection: its
    knobs (PhoenixSocket::setMaxFrameSize()), its signals, and the
    transport and time seams tests inject before open()
    (PhoenixSocket::setTransport(), PhoenixSocket::setScheduler()). The
    connection sets its URL, params, heartbeat, timeout and unauthorized
    statuses on every open(), overriding those set on the socket.
*/

PhoenixSocket *MusubiConnection::socket() const
{
    return d->socket;
}

/*!
    Registers the external \a uploader (docs/protocol.md §8.7) under
    \a name, replacing any uploader of that name. The object is an uploader
    from the uploads API (a MusubiUploader); the connection does not take
    ownership and forgets it when it is destroyed.

    \sa uploaders
*/

void MusubiConnection::registerUploader(const QString &name, QObject *uploader)
{
    if (d->uploaders.value(name) == uploader)
        return;
    d->uploaders.insert(name, uploader);
    Q_EMIT uploadersChanged();
}

/*!
    Removes the uploader registered under \a name.
*/

void MusubiConnection::unregisterUploader(const QString &name)
{
    if (d->uploaders.remove(name))
        Q_EMIT uploadersChanged();
}

/*!
    Returns the uploader registered under \a name, or nullptr.
*/

QObject *MusubiConnection::uploader(const QString &name) const
{
    return d->uploaders.value(name).data();
}

QVariantMap MusubiConnection::uploaders() const
{
    QVariantMap map;
    for (auto it = d->uploaders.cbegin(); it != d->uploaders.cend(); ++it) {
        if (it.value())
            map.insert(it.key(), QVariant::fromValue(it.value().data()));
    }
    return map;
}

void MusubiConnection::setUploaders(const QVariantMap &uploaders)
{
    if (uploaders == this->uploaders())
        return;
    d->uploaders.clear();
    for (auto it = uploaders.cbegin(); it != uploaders.cend(); ++it) {
        QObject *uploader = it.value().value<QObject *>();
        // By class name: the runtime does not depend on the uploads layer.
        if (!uploader || !uploader->inherits("MusubiUploader")) {
            qmlWarning(this) << "uploaders." << it.key()
                             << " is not a MusubiUploader (MusubiHttpUploader, "
                                "MusubiScriptUploader); ignored";
            continue;
        }
        d->uploaders.insert(it.key(), uploader);
    }
    Q_EMIT uploadersChanged();
}

bool MusubiConnection::isActive() const
{
    return d->wantActive;
}

void MusubiConnection::setActive(bool active)
{
    if (d->wantActive == active)
        return;
    d->wantActive = active;
    Q_EMIT activeChanged();
    d->updateDeclarative();
}

void MusubiConnection::classBegin()
{
    d->declarative = true;
    // A declarative object follows its bindings, so a live connection
    // reopens. Several settings often change together: one reopen per turn.
    d->reopenTimer = new QTimer(d.get());
    d->reopenTimer->setSingleShot(true);
    d->reopenTimer->setInterval(0);
    connect(d->reopenTimer, &QTimer::timeout, this, [this] {
        if (!d->wasUsable)
            return;
        close();
        open();
    });
    const auto settingsChanged = [this] {
        if (d->isUsable() != d->wasUsable)
            d->updateDeclarative();
        else if (d->wasUsable)
            d->reopenTimer->start();
    };
    connect(this, &MusubiConnection::urlChanged, this, settingsChanged);
    connect(this, &MusubiConnection::paramsChanged, this, settingsChanged);
    connect(this, &MusubiConnection::protocolChanged, this, settingsChanged);
    connect(this, &MusubiConnection::baseTopicChanged, this, settingsChanged);
}

void MusubiConnection::componentComplete()
{
    if (!d->declarative)
        return;
    d->complete = true;
    d->updateDeclarative();
}

/*!
    Opens the socket (idempotent). Roots mounted before open() wait and
    mount as soon as the socket and, for Profile S, the shared channel are
    up. While status() is \c Unauthorized it tries again (the params
    provider is asked anew).
*/

void MusubiConnection::open()
{
    d->open();
}

/*!
    Deliberately closes: leaves every channel, fails pending commands with
    \c Disconnected and closes the socket (never reconnects). Mounted roots
    keep their last good state and mount again on the next open().
*/

void MusubiConnection::close()
{
    d->close();
}
