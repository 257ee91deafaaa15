// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiroot.h"
#include "musubicommanderror_p.h"
#include "musubiconnection.h"
#include "musubiconnection_p.h"
#include "musubilogging_p.h"
#include "musubiroot_p.h"
#include "musubirootmount_p.h"
#include "musubistore.h"
#include "musubistoretree.h"

Q_LOGGING_CATEGORY(lcMusubiRoot, "musubi.root")
Q_LOGGING_CATEGORY(lcMusubiCommand, "musubi.command")

using namespace Qt::StringLiterals;
using Musubi::detail::ConnectionPrivate;
using Musubi::detail::RootMount;
using Musubi::detail::RootPrivate;

/*!
    Constructs an unmounted root with \a parent. Set connection(), module()
    and instanceId(), then call mount().
*/
MusubiRoot::MusubiRoot(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<RootPrivate>(this))
{ }

/*!
    Constructs an unmounted root for (\a module, \a instanceId) with mount
    \a params on \a connection.
*/
MusubiRoot::MusubiRoot(MusubiConnection *connection, const QString &module,
                       const QString &instanceId, const QVariantMap &params, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<RootPrivate>(this))
{
    d->connection = connection;
    d->module = module;
    d->instanceId = instanceId;
    d->params = params;
}

MusubiRoot::~MusubiRoot()
{
    // No signals from a destructor: a subclass is already gone.
    for (const auto &connection : std::as_const(d->mountConnections))
        disconnect(connection);
    if (d->mount && d->connection)
        d->connection->d->release(this, d->mount);
}

MusubiConnection *MusubiRoot::connection() const
{
    return d->connection;
}

void MusubiRoot::setConnection(MusubiConnection *connection)
{
    if (d->connection == connection)
        return;
    d->connection = connection;
    Q_EMIT connectionChanged();
}

QString MusubiRoot::module() const
{
    return d->module;
}

void MusubiRoot::setModule(const QString &module)
{
    if (d->module == module)
        return;
    d->module = module;
    Q_EMIT moduleChanged();
    if (!d->mount)
        Q_EMIT rootIdChanged();
}

QString MusubiRoot::instanceId() const
{
    return d->instanceId;
}

void MusubiRoot::setInstanceId(const QString &instanceId)
{
    if (d->instanceId == instanceId)
        return;
    d->instanceId = instanceId;
    Q_EMIT instanceIdChanged();
    if (!d->mount)
        Q_EMIT rootIdChanged();
}

QString MusubiRoot::rootId() const
{
    if (d->mount)
        return d->mount->wireRootId();
    if (d->module.isEmpty() || d->instanceId.isEmpty())
        return QString();
    return d->module + u':' + d->instanceId;
}

QVariantMap MusubiRoot::params() const
{
    return d->params;
}

void MusubiRoot::setParams(const QVariantMap &params)
{
    if (d->params == params)
        return;
    d->params = params;
    Q_EMIT paramsChanged();
}

MusubiRoot::Status MusubiRoot::status() const
{
    return d->status;
}

QString MusubiRoot::errorString() const
{
    return d->errorString;
}

QJsonValue MusubiRoot::errorReply() const
{
    return d->errorReply;
}

int MusubiRoot::version() const
{
    return d->mount ? d->mount->version() : 0;
}

bool MusubiRoot::isMounted() const
{
    return d->mounted;
}

bool MusubiRoot::isReady() const
{
    return d->ready;
}

bool MusubiRoot::isActive() const
{
    return d->active;
}

void MusubiRoot::setActive(bool active)
{
    if (d->active == active)
        return;
    d->active = active;
    Q_EMIT activeChanged();
    d->scheduleUpdate(false);
}

void MusubiRoot::classBegin()
{
    d->declarative = true;
    // A real 0 ms timer, not QTimer::singleShot(0) (a posted call): the
    // runtime tears a released mount down from its own 0 ms timer, and ours
    // must fire after it (timers of equal deadline fire in start order).
    d->updateTimer = new QTimer(this);
    d->updateTimer->setSingleShot(true);
    d->updateTimer->setInterval(0);
    connect(d->updateTimer, &QTimer::timeout, this, [this] {
        d->updateQueued = false;
        d->update();
    });
    const auto identityChanged = [this] {
        d->scheduleUpdate(true);
    };
    connect(this, &MusubiRoot::moduleChanged, this, identityChanged);
    connect(this, &MusubiRoot::instanceIdChanged, this, identityChanged);
    connect(this, &MusubiRoot::paramsChanged, this, identityChanged);
    connect(this, &MusubiRoot::connectionChanged, this, [this] {
        d->trackConnection();
        d->scheduleUpdate(true);
    });
    d->trackConnection();
}

void MusubiRoot::componentComplete()
{
    if (!d->declarative)
        return;
    d->complete = true;
    // Mount right away rather than on the next turn: the properties are final.
    d->update();
}

MusubiStore *MusubiRoot::store() const
{
    return d->mount ? d->mount->tree()->rootStore() : nullptr;
}

MusubiStore *MusubiRoot::store(const QJsonArray &storeId) const
{
    return d->mount ? d->mount->tree()->store(storeId) : nullptr;
}

MusubiStore *MusubiRoot::storeById(const QJsonArray &storeId) const
{
    return store(storeId);
}

QJsonObject MusubiRoot::snapshot() const
{
    return d->mount ? d->mount->tree()->tree() : QJsonObject();
}

MusubiStoreTree *MusubiRoot::storeTree() const
{
    return d->mount ? d->mount->tree() : nullptr;
}

QFuture<QJsonValue> MusubiRoot::dispatch(const QJsonArray &storeId, const QString &name,
                                         const QJsonObject &payload)
{
    if (!d->mount)
        return Musubi::detail::failedCommand(
                MusubiCommandError(MusubiCommandError::Kind::NotConnected, name, storeId));
    return d->mount->dispatch(storeId, name, payload);
}

PhoenixPush *MusubiRoot::pushRootEvent(const QString &event, const QJsonObject &payload,
                                       int timeoutMs)
{
    return d->mount ? d->mount->pushRootEvent(event, payload, timeoutMs) : nullptr;
}

void MusubiRoot::mount()
{
    if (d->mounted)
        return;
    if (!d->connection || d->module.isEmpty() || d->instanceId.isEmpty()) {
        const QString message = u"Cannot mount: connection, module and instanceId are required"_s;
        qCWarning(lcMusubiRoot).noquote() << message;
        d->setErrorString(message);
        d->setStatus(Status::Failed);
        Q_EMIT errorOccurred(message);
        return;
    }
    d->mounted = true;
    RootMount *mount = d->connection->d->acquire(this, d->module, d->instanceId,
                                                 QJsonObject::fromVariantMap(d->params));
    d->attach(mount);
    Q_EMIT mountedChanged();
    if (d->connection && !d->connection->d->isOpen())
        d->connection->open();
}

void MusubiRoot::unmount()
{
    if (!d->mounted)
        return;
    RootMount *mount = d->mount;
    d->detach();
    if (mount && d->connection)
        d->connection->d->release(this, mount);
}

namespace Musubi::detail {

void RootPrivate::attach(RootMount *held)
{
    mount = held;
    mountConnections = {
            QObject::connect(held, &RootMount::statusChanged, q,
                             [this](MusubiRoot::Status status, MusubiRoot::Status) {
                                 syncErrorReply();
                                 setStatus(status);
                             }),
            QObject::connect(held, &RootMount::errorStringChanged, q,
                             [this, held] {
                                 syncErrorReply();
                                 setErrorString(held->errorString());
                             }),
            QObject::connect(held, &RootMount::versionChanged, q,
                             [this](int newVersion) {
                                 version = newVersion;
                                 Q_EMIT q->versionChanged(newVersion);
                             }),
            QObject::connect(held, &RootMount::wireRootIdChanged, q, &MusubiRoot::rootIdChanged),
            QObject::connect(held, &RootMount::rootStoreChanged, q,
                             [this] {
                                 Q_EMIT q->storeChanged();
                                 syncReady();
                             }),
            QObject::connect(held, &RootMount::storesChanged, q,
                             [this](const QList<QJsonArray> &storeIds) {
                                 q->storesChangeEvent(storeIds);
                                 Q_EMIT q->storesChanged(storeIds);
                             }),
            QObject::connect(held, &RootMount::eventReceived, q,
                             [this](const QJsonArray &storeId, const QString &name,
                                    const QJsonValue &payload) {
                                 q->receiveEvent(storeId, name, payload);
                                 Q_EMIT q->eventReceived(storeId, name, payload);
                             }),
            QObject::connect(held, &RootMount::errorOccurred, q, &MusubiRoot::errorOccurred),
    };
    syncFromMount();
}

void RootPrivate::detach()
{
    for (const auto &connection : std::as_const(mountConnections))
        QObject::disconnect(connection);
    mountConnections.clear();
    const bool hadStore = q->store() != nullptr;
    const QString oldRootId = q->rootId();
    mount = nullptr;
    mounted = false;
    Q_EMIT q->mountedChanged();
    if (version != 0) {
        version = 0;
        Q_EMIT q->versionChanged(0);
    }
    if (hadStore)
        Q_EMIT q->storeChanged();
    syncReady();
    syncErrorReply();
    if (oldRootId != q->rootId())
        Q_EMIT q->rootIdChanged();
    setStatus(MusubiRoot::Status::Unmounted);
}

void RootPrivate::syncErrorReply()
{
    const QJsonValue reply = mount ? mount->errorReply() : QJsonValue(QJsonValue::Undefined);
    if (reply == errorReply)
        return;
    errorReply = reply;
    Q_EMIT q->errorReplyChanged();
}

void RootPrivate::syncReady()
{
    const bool now = q->store() != nullptr;
    if (now == ready)
        return;
    ready = now;
    Q_EMIT q->readyChanged();
}

bool RootPrivate::shouldBeMounted() const
{
    if (!complete || !active || !connection || module.isEmpty() || instanceId.isEmpty())
        return false;
    return connection->d->isUsable();
}

void RootPrivate::scheduleUpdate(bool remount)
{
    if (!complete)
        return;
    remountQueued = remountQueued || remount;
    if (updateQueued)
        return;
    // Bindings often change several identity properties in one go (module and
    // instanceId together); coalesce them into a single remount.
    updateQueued = true;
    updateTimer->start();
}

void RootPrivate::update()
{
    const bool remount = std::exchange(remountQueued, false);
    if (!shouldBeMounted()) {
        if (mounted)
            q->unmount();
        return;
    }
    if (mounted && remount) {
        q->unmount();
        // The runtime keeps a released mount alive until the end of this
        // event-loop turn (so a re-created delegate keeps its mount); a mount
        // with the new identity or params must come after that teardown, or
        // it would join the old mount and keep the old params.
        scheduleUpdate(false);
        return;
    }
    if (!mounted)
        q->mount();
}

void RootPrivate::trackConnection()
{
    QObject::disconnect(connectionUsable);
    if (connection) {
        connectionUsable = QObject::connect(connection->d.get(), &ConnectionPrivate::usableChanged,
                                            q, [this] { scheduleUpdate(false); });
    }
}

void RootPrivate::syncFromMount()
{
    if (!mount)
        return;
    setErrorString(mount->errorString());
    if (version != mount->version()) {
        version = mount->version();
        Q_EMIT q->versionChanged(version);
    }
    if (mount->wireRootId() != module + u':' + instanceId)
        Q_EMIT q->rootIdChanged();
    syncErrorReply();
    if (mount->tree()->rootStore()) {
        Q_EMIT q->storeChanged();
        syncReady();
        // This holder has seen nothing yet: every store of the current state is new to it.
        const QList<QJsonArray> ids = mount->tree()->storeIds();
        q->storesChangeEvent(ids);
        if (mount)
            Q_EMIT q->storesChanged(ids);
    }
    if (mount)
        setStatus(mount->status());
}

void RootPrivate::setStatus(MusubiRoot::Status newStatus)
{
    if (status == newStatus)
        return;
    const MusubiRoot::Status old = status;
    status = newStatus;
    q->statusChangeEvent(newStatus, old);
    Q_EMIT q->statusChanged(newStatus, old);
}

void RootPrivate::setErrorString(const QString &message)
{
    if (errorString == message)
        return;
    errorString = message;
    Q_EMIT q->errorStringChanged();
}

} // namespace Musubi::detail

void MusubiRoot::statusChangeEvent(Status, Status) { }

void MusubiRoot::storesChangeEvent(const QList<QJsonArray> &) { }

void MusubiRoot::receiveEvent(const QJsonArray &, const QString &, const QJsonValue &) { }
