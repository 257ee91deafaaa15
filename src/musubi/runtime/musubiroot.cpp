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
    \class MusubiRoot
    \inmodule MusubiCore
    \inheaderfile musubiroot.h
    \brief One mounted root store of a Musubi server: its state, its stores,
    its commands and its push events.

    A root is identified by (module(), instanceId()) on a connection(). Its
    wire id is rootId() = \c{"<module>:<instanceId>"}. Roots of the same
    identity on one connection share one mount (and one MusubiStoreTree):
    each MusubiRoot is one holder, and the last holder's unmount() (or
    destruction) unmounts on the wire.

    mount() is explicit for a root created in C++. A root created by QML
    (the \l [QML] {MusubiRoot} QML type, or a C++ subclass
    registered for QML) manages itself: it mounts once the component is
    complete, isActive() is true and a connection, a module and an instance
    id are set (and the connection, when it was created by QML too, is
    active and has a URL). It unmounts when \c active becomes false or the
    object is destroyed, and changing connection, module, instanceId or
    params while mounted remounts it (one remount per event-loop turn,
    however many of them changed). The mount is done when the server's
    initial patch (version 0→1) has been accepted, not on the join/mount
    reply: status() then becomes \c Live and isReady() true.

    Data: store() is the root MusubiStore (a QQmlPropertyMap), store(storeId)
    any child store, snapshot() the raw wire tree, storeTree() the whole
    data plane (streams, uploads, resolved view). storesChanged() fires once
    per accepted envelope with every store that appeared or changed in it,
    after every store's own \c changed(); the first envelope lists the root
    store \c [] and every child store it brings. MusubiStoreRef follows one
    child store by its id.

    Commands: dispatch() returns a QFuture that finishes with the reply or
    fails with a MusubiCommandError. The reply says nothing about whether the
    command's patch has been applied yet (the server replies first); read
    state from the stores.

    Push events: eventReceived() fires per event, after the envelope's state
    is applied and its change signals emitted; handleEvent() registers a
    handler for one (storeId, name).

    Subclassing: override the protected hooks statusChangeEvent(),
    storesChangeEvent() and receiveEvent() to expose typed accessors:
    \code
    class CounterRoot : public MusubiRoot { Q_OBJECT // in a header, for moc
        Q_PROPERTY(int count READ count NOTIFY countChanged)
    public:
        using MusubiRoot::MusubiRoot;
        int count() const { return store() ? store()->value(u"count"_s).toInt() : 0; }
    Q_SIGNALS:
        void countChanged();
    protected:
        // The first envelope lists [] too: the initial count arrives here.
        void storesChangeEvent(const QList<QJsonArray> &ids) override {
            if (ids.contains(QJsonArray())) Q_EMIT countChanged();
        }
    };
    \endcode

    Status (docs/protocol.md §12) annotates stale data; it never blanks it:
    while \c Reconnecting the last good state stays readable.

    \sa MusubiConnection, MusubiStore, MusubiStoreRef, MusubiCommandError
*/

/*!
    \enum MusubiRoot::Status

    Per-root mount status (docs/protocol.md §12, Rust \c MountStatus).

    \value Unmounted Not mounted by this object (initial, and after unmount()).
    \value Connecting Mount requested, initial patch not accepted yet.
    \value Live An initial patch was accepted and envelopes apply in order.
    \value Reconnecting Drop or version-gap recovery; the last good state is
           still shown.
    \value Failed The mount was refused or could not complete; see
           errorString() and errorReply().
*/

/*!
    \property MusubiRoot::connection
    \brief the connection the root mounts on.

    Changing the identity (connection, module, instanceId, params) of a
    mounted root created in C++ takes effect on the next mount(); a root
    created by QML remounts by itself.
*/

/*!
    \property MusubiRoot::module
    \brief the Elixir module name of the root store, without \c Elixir.
    (e.g. \c Shop.CartStore).

    Changing it while mounted takes effect on the next mount().
*/

/*!
    \property MusubiRoot::instanceId
    \brief the caller-chosen instance id (the wire \c id of the mount).

    Named \c instanceId rather than \c id because QML reserves \c id.
    Changing it while mounted takes effect on the next mount().
*/

/*!
    \property MusubiRoot::rootId
    \brief the wire root id.

    \c{"<module>:<instanceId>"}, or, on a Profile S server that names roots
    itself, the \c root_id of its mount reply. Empty while module or
    instanceId is empty.
*/

/*!
    \property MusubiRoot::params
    \brief the mount params.

    Only the first mount of an identity sends them: roots of the same
    (module, instanceId) on one connection share one mount, and the first
    mount's params win.
*/

/*!
    \property MusubiRoot::status
    \brief the mount status.

    statusChanged() carries the previous status too; statusChangeEvent() is
    called right before it.
*/

/*!
    \property MusubiRoot::errorString
    \brief why the mount failed (status \c Failed), or the last error; empty
    otherwise.

    \sa errorOccurred()
*/

/*!
    \property MusubiRoot::errorReply
    \brief the server's error response behind a failed mount.

    For example \c{{"reason":"unknown root"}}; an undefined QJsonValue for
    timeouts, local failures, and when nothing failed.
*/

/*!
    \property MusubiRoot::version
    \brief the last accepted envelope version.

    0 while not live (connecting, reconnecting, recovering) and while
    unmounted.
*/

/*!
    \property MusubiRoot::mounted
    \brief whether the root is mounted: true between mount() and unmount(),
    whatever the status.
*/

/*!
    \property MusubiRoot::ready
    \brief whether state is shown: the root store exists (the initial patch
    was accepted).

    It stays true while the root is \c Reconnecting or recovering (the last
    good state stays readable) and becomes false again after unmount(). A
    view shows its content when this is true.

    \sa store
*/

/*!
    \property MusubiRoot::active
    \brief whether a root created by QML should be mounted; \c true by default.

    Only roots created by QML follow it (they mount and unmount
    themselves); a root created in C++ is mounted with mount().
*/

/*!
    \property MusubiRoot::cache
    \brief whether this root takes part in its connection's mount cache;
    \c true by default.

    With MusubiConnection::cache enabled, a root shows the state saved by an
    earlier mount at once (fromCache) and its live state replaces it. Set it
    to \c false for a root whose state must never be written anywhere
    (secrets): mounting it removes any saved entry of the root and nothing is
    written for it while it is held. Read when the root mounts; setting it to
    \c false while mounted also stops the writes and removes the entry.

    \sa fromCache, MusubiCache, {Offline start}
*/

/*!
    \property MusubiRoot::fromCache
    \brief whether the state shown was read from the mount cache and the
    server has not answered yet.

    It becomes \c true when a mount finds a usable entry (same buster, not
    older than MusubiCache::gcTime): the stores show the saved state at once,
    with version() still 0 and status() \c Connecting. The live initial patch
    replaces that state, storesChanged() lists the stores that differ from
    it, and fromCache becomes \c false, followed by revalidated(). Streams
    start empty (their items are not saved) and fill from the live patch.

    Commands dispatched while it is \c true wait for the live state and are
    sent, in order, right after it (up to 32). Each keeps the push timeout
    (MusubiConnection::pushTimeout): one still waiting then fails with
    \c Timeout and is never sent. If the server refuses the mount they fail
    with MusubiCommandError::MountFailed (and the saved entry is deleted),
    on unmount with \c Unmounted, on MusubiConnection::close() with
    \c Disconnected.

    \sa fetching, revalidated(), MusubiCache
*/

/*!
    \property MusubiRoot::fetching
    \brief whether the root waits for an initial patch from the server: the
    first mount, a rejoin, or a version-gap recovery.

    Together with fromCache it tells "saved data, live data on its way"
    apart from "live data".
*/

/*!
    \fn void MusubiRoot::revalidated()

    Emitted when the live initial patch replaced the state read from the
    mount cache (fromCache has just become \c false).
*/

/*!
    \property MusubiRoot::store
    \brief the root store (\c store_id \c []), or nullptr before the first
    accepted envelope.

    storeChanged() is emitted when it changes identity (first envelope,
    unmount).

    \sa ready
*/

/*!
    \fn void MusubiRoot::statusChanged(MusubiRoot::Status status, MusubiRoot::Status oldStatus)

    Emitted on every status edge, from \a oldStatus to \a status, right after
    statusChangeEvent().
*/

/*!
    \fn void MusubiRoot::versionChanged(int version)

    Emitted when the accepted envelope \a version changed.
*/

/*!
    \fn void MusubiRoot::storesChanged(const QList<QJsonArray> &storeIds)

    Emitted once per accepted envelope, after every store's \c changed() and
    after version() was updated, with the ids \a storeIds (parents first) of
    every store that exists after the envelope and
    \list
    \li appeared with it (the initial envelope of a mount lists the root
        store \c [] and every child store it brings), or
    \li whose node differs by value from before it (a value changed and
        changed back within the envelope, or an identical \c{replace ""} of
        a rejoin, lists nothing), or
    \li is named by one of its stream or upload ops (that store only, not
        its parents).
    \endlist
    Stores that vanished are not listed: MusubiStoreTree::storesRemoved() of
    storeTree() announces them (MusubiStoreTree::storesAdded() is the finer
    signal for new ones). A version-gap recovery or a rejoin keeps the last
    good state, so its initial patch lists whatever differs from that state
    by the same rule. The list may be empty (an event-only envelope).

    How it relates to \l [CPP] {MusubiStore::changed()}: store objects are
    made on demand, and \c changed() fires on objects that existed before
    the envelope only (never for the state an object is made with), so this
    list is every store whose \c changed() fired, plus stores without an
    object (or with one made during the envelope) that changed by the same
    rule, plus every store that appeared. Refreshing a view from this signal
    alone shows the initial state, every change, and new child stores.

    A holder that mount()s a root another holder already shows gets this
    signal once from mount(), listing every store of the current state.

    storesChangeEvent() is called right before it.
*/

/*!
    \fn void MusubiRoot::eventReceived(const QJsonArray &storeId, const QString &name,
                                       const QJsonValue &payload)

    Emitted for the push event \a name with \a payload of the store at
    \a storeId (\c [] is the root), after the state of its envelope is
    applied and storesChanged() emitted, and right after receiveEvent().

    \sa handleEvent()
*/

/*!
    \fn void MusubiRoot::errorOccurred(const QString &message)

    Emitted with \a message, in words, for a mount failure, a recovery or a
    protocol problem.

    \sa errorString
*/

/*!
    \fn template <typename Handler> QMetaObject::Connection MusubiRoot::handleEvent(
            const QJsonArray &storeId, const QString &name, const QObject *context,
            Handler handler)

    Calls \a handler with the payload, as \c{handler(const QJsonValue &payload)},
    for every push event \a name of the store at \a storeId (\c [] is the
    root), in \a context's thread, until the returned connection is
    disconnected (QObject::disconnect()) or \a context or this root is
    destroyed.

    \sa eventReceived()
*/

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

/*!
    Destroys the root and releases its hold on the mount; the last holder's
    release unmounts on the wire. Emits no signals.
*/

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

bool MusubiRoot::isCacheEnabled() const
{
    return d->cacheEnabled;
}

void MusubiRoot::setCacheEnabled(bool enabled)
{
    if (d->cacheEnabled == enabled)
        return;
    d->cacheEnabled = enabled;
    if (!enabled && d->mount)
        d->mount->refuseCache();
    Q_EMIT cacheEnabledChanged();
}

bool MusubiRoot::isFromCache() const
{
    return d->mount && d->mount->isFromCache();
}

bool MusubiRoot::isFetching() const
{
    return d->mount && d->mount->isFetching();
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
    connect(d->updateTimer, &QTimer::timeout, this, [this] { d->update(); });
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

/*!
    Returns the store at \a storeId, or nullptr when the tree has no such
    store (or the root is not mounted). Store objects are made on demand: the
    first call for an id makes the object, showing the current state
    (MusubiStoreTree::store()).

    \sa MusubiStoreRef
*/

MusubiStore *MusubiRoot::store(const QJsonArray &storeId) const
{
    return d->mount ? d->mount->tree()->store(storeId) : nullptr;
}

/*!
    Returns the store at \a storeId, or nullptr; the QML-friendly form of
    store(storeId).
*/

MusubiStore *MusubiRoot::storeById(const QJsonArray &storeId) const
{
    return store(storeId);
}

/*!
    Returns the raw wire tree (markers intact); empty when nothing has been
    applied.
*/

QJsonObject MusubiRoot::snapshot() const
{
    return d->mount ? d->mount->tree()->tree() : QJsonObject();
}

/*!
    Returns the data plane of the mount (shared with the other holders of
    the same identity), or nullptr when not mounted.
*/

MusubiStoreTree *MusubiRoot::storeTree() const
{
    return d->mount ? d->mount->tree() : nullptr;
}

/*!
    Sends command \a name with \a payload to the store at \a storeId. The
    future finishes with the server's reply or fails with a
    MusubiCommandError: at once with \c NotConnected while the root has no
    channel or is not live (version 0), later with \c Failed (an error
    reply), \c Timeout (no reply within
    \l [CPP] {MusubiConnection::pushTimeout}),
    \c Disconnected, \c VersionMismatch or \c Unmounted. Never retried: a
    command that failed or timed out may still have run.

    The reply may arrive before the command's patch is applied; read state
    from the stores.
*/

QFuture<QJsonValue> MusubiRoot::dispatch(const QJsonArray &storeId, const QString &name,
                                         const QJsonObject &payload)
{
    if (!d->mount)
        return Musubi::detail::failedCommand(
                MusubiCommandError(MusubiCommandError::Kind::NotConnected, name, storeId));
    return d->mount->dispatch(storeId, name, payload);
}

/*!
    Low-level: pushes \a event with \a payload on this root's channel
    (Profile R) or on the shared channel with \c root_id added (Profile S),
    as the upload handles do for \c allow_upload and friends. \a timeoutMs
    is the reply timeout; a negative value uses
    \l [CPP] {MusubiConnection::pushTimeout}. Returns nullptr when the root has no
    joined channel; the push is owned by its channel.
*/

PhoenixPush *MusubiRoot::pushRootEvent(const QString &event, const QJsonObject &payload,
                                       int timeoutMs)
{
    return d->mount ? d->mount->pushRootEvent(event, payload, timeoutMs) : nullptr;
}

/*!
    Takes a hold on the (connection, module, instanceId) mount, mounting it
    on the wire if this is the first holder; opens the connection if it is
    closed. Does nothing when already mounted. Without a connection, a
    module or an instance id it fails: status() becomes \c Failed and
    errorOccurred() is emitted.
*/

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
    if (!mount) { // the connection went away meanwhile
        d->mounted = false;
        return;
    }
    d->attach(mount);
    Q_EMIT mountedChanged();
    if (d->connection && !d->connection->d->isOpen())
        d->connection->open();
}

/*!
    Releases the hold; pending commands of a last holder fail with
    \c Unmounted and the mount is left on the wire. Status becomes
    \c Unmounted and store() nullptr. Does nothing when not mounted.
*/

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
            QObject::connect(held, &RootMount::fromCacheChanged, q, [this] { syncCacheState(); }),
            QObject::connect(held, &RootMount::fetchingChanged, q, [this] { syncCacheState(); }),
            QObject::connect(held, &RootMount::revalidated, q, &MusubiRoot::revalidated),
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
    syncCacheState();
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
    // Bindings often change several identity properties in one go (module and
    // instanceId together); coalesce them into a single remount.
    if (!updateTimer->isActive())
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
    syncCacheState();
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

void RootPrivate::syncCacheState()
{
    const bool nowFromCache = mount && mount->isFromCache();
    const bool nowFetching = mount && mount->isFetching();
    if (nowFromCache != fromCache) {
        fromCache = nowFromCache;
        Q_EMIT q->fromCacheChanged();
    }
    if (nowFetching != fetching) {
        fetching = nowFetching;
        Q_EMIT q->fetchingChanged();
    }
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

/*!
    \fn void MusubiRoot::statusChangeEvent(MusubiRoot::Status status, MusubiRoot::Status oldStatus)

    Called with the new \a status and the \a oldStatus right before
    statusChanged() is emitted, so a subclass can update what it derives
    from it. The default implementation does nothing.
*/

void MusubiRoot::statusChangeEvent(Status, Status) { }

/*!
    \fn void MusubiRoot::storesChangeEvent(const QList<QJsonArray> &storeIds)

    Called with \a storeIds right before storesChanged() is emitted (the
    same list, under the same rules). The default implementation does
    nothing.
*/

void MusubiRoot::storesChangeEvent(const QList<QJsonArray> &) { }

/*!
    \fn void MusubiRoot::receiveEvent(const QJsonArray &storeId, const QString &name,
                                      const QJsonValue &payload)

    Called with the push event \a name of the store at \a storeId and its
    \a payload right before eventReceived() is emitted. The default
    implementation does nothing.
*/

void MusubiRoot::receiveEvent(const QJsonArray &, const QString &, const QJsonValue &) { }
