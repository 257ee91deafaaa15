// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiconnection.h"
#include "musubiconnection_p.h"
#include "musubijson_p.h"
#include "musubilogging_p.h"
#include "musubiperrootwire_p.h"
#include "musubiroot.h"
#include "musubiroot_p.h"
#include "musubirootmount_p.h"
#include "musubisharedwire_p.h"

#include <phoenixchannel.h>
#include <phoenixpush.h>
#include <phoenixsocket.h>

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtQml/QQmlInfo>

Q_LOGGING_CATEGORY(lcMusubiConnection, "musubi.connection")

using namespace Qt::StringLiterals;

namespace Musubi::detail {

ConnectionPrivate::ConnectionPrivate(MusubiConnection *q)
    : q(q)
    , socket(new PhoenixSocket(this))
    , baseTopic(u"musubi:connection"_s)
    , shared(new SharedChannel(this))
{
    connect(socket, &PhoenixSocket::statusChanged, this,
            [this](PhoenixSocket::Status status, PhoenixSocket::Status oldStatus) {
                onSocketStatusChanged(int(status), int(oldStatus));
            });
    connect(socket, &PhoenixSocket::errorOccurred, this, [this](const QString &message) {
        qCDebug(lcMusubiConnection) << "socket error:" << message;
        reportError(message);
    });
}

ConnectionPrivate::~ConnectionPrivate() = default;

QString ConnectionPrivate::rootTopic(const QString &rootId) const
{
    return baseTopic + u':' + rootId;
}

RootMount *ConnectionPrivate::acquire(MusubiRoot *holder, const QString &module, const QString &id,
                                      const QJsonObject &params)
{
    const QString key = module + u':' + id;
    RootMount *mount = mounts.value(key);
    if (!mount) {
        mount = new RootMount(this, module, id, params);
        mounts.insert(key, mount);
        mount->addHolder(holder);
        mount->start();
        return mount;
    }
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
    const auto all = d->mounts.values();
    for (Musubi::detail::RootMount *mount : all) {
        const auto holders = mount->holders();
        for (MusubiRoot *holder : holders)
            Musubi::detail::RootPrivate::get(holder)->detach();
        mount->disconnected();
    }
    qDeleteAll(all);
    d->mounts.clear();
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

PhoenixSocket *MusubiConnection::socket() const
{
    return d->socket;
}

void MusubiConnection::registerUploader(const QString &name, QObject *uploader)
{
    if (d->uploaders.value(name) == uploader)
        return;
    d->uploaders.insert(name, uploader);
    Q_EMIT uploadersChanged();
}

void MusubiConnection::unregisterUploader(const QString &name)
{
    if (d->uploaders.remove(name))
        Q_EMIT uploadersChanged();
}

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

void MusubiConnection::open()
{
    d->open();
}

void MusubiConnection::close()
{
    d->close();
}
