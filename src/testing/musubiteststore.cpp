// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiteststore.h"
#include "musubitestserver.h"
#include "musubitestserver_p.h"
#include "musubiteststore_p.h"

using namespace Qt::StringLiterals;

/*!
    \class MusubiTestStore
    \inmodule MusubiTesting
    \inheaderfile musubiteststore.h
    \brief One server-side store (root or child) of MusubiTestServer.

    A store is the test-server counterpart of an Elixir \c{use Musubi.Store} module instance. It
    owns:

    \list
    \li \b{state}: a QJsonObject (setState(), setValue(), update()). Every change
    schedules a re-render of the root on the next event-loop turn; the server then diffs the new
    wire tree against the last one it sent and pushes an envelope only if something changed
    (docs/protocol.md §4.4).
    \li \b{render}: render() turns state into the store's rendered fields. The
    default returns the renderer set with setRenderer(), else state() itself. Override it (or
    set a renderer) to compute derived fields. The server adds \c __musubi_store_id__ and one
    upload slot per declared upload; do not put either into the render output yourself.
    \li \b{child stores}: addChild() attaches a child under a local id; the
    child's store id is this store's id followed by the local id (root \c [] +
    \c{{"lines","line-2"}} = \c{["lines","line-2"]}). A child is only mounted (visible,
    addressable by commands) while the parent's render output contains childSlot(localId)
    somewhere — at any path, including inside arrays (lists of children). The server expands
    each slot into the child's full rendered node.
    \li \b{commands}: onCommand() registers a handler \c{payload → MusubiTestReply};
    handleCommand() may be overridden instead. Unknown names reply \c{{"reason":"unknown
    command"}}. A handler that throws (or returns MusubiTestReply::crash()) crashes the root's
    channel with \c phx_error.
    \li \b{streams}: streamInsert(), streamDelete(), streamReset() queue stream
    ops, flushed with the next envelope as \c{[reset?] ++ inserts ++ deletes} per stream, stores
    parent-first (§6.1). Place streamSlot(name) in the render output where the stream lives.
    \li \b{async values}: asyncLoading(), asyncOk(), asyncFailed() build the
    \c __musubi_async__ marker (§7) to store in state.
    \li \b{push events}: pushEvent() queues an event stamped with this store's id (§9).
    \li \b{pubsub}: subscribe() to a topic and every message broadcast() on it,
    by any store of any mount of the same server, arrives in handleInfo() (Phoenix.PubSub plus
    \c handle_info/2). This is how the mounts of one server talk to each other; see subscribe().
    \li \b{uploads}: declareUpload() adds an upload slot to the render output
    and queues a \c config upload op when the store mounts (§8.1). queueUploadOp() is the
    extension point for the upload protocol.
    \endlist

    Root stores are created by the factory given to
    \l {MusubiTestServer-registerRoot}{MusubiTestServer::registerRoot()}, one instance per mount
    (like a page server); mount() runs before the initial render. The server owns mounted roots
    and deletes them on unmount, channel end or disconnect. Child stores are owned (QObject
    parent) by the store they were added to.

    Everything runs on the server's thread; all calls are synchronous and never block.

    \sa MusubiTestServer, MusubiTestReply
*/

/*!
    \typealias MusubiTestStore::CommandHandler
    \brief Handles one command: receives the payload (always an object) and returns the reply.
    \sa onCommand()
*/

/*!
    \typealias MusubiTestStore::Renderer
    \brief Produces the rendered fields of the store it is given (see render()).
    \sa setRenderer()
*/

/*!
    \typealias MusubiTestStore::InfoHandler
    \brief Handles one message broadcast on a topic this store subscribed to.
    \sa onInfo()
*/

/*!
    \property MusubiTestStore::state
    \brief The whole state object.

    Setting it replaces the state and schedules a re-render.
    \sa value(), setValue(), update()
*/

/*!
    \property MusubiTestStore::storeId
    \brief The wire store id: \c [] for a root, parent id + local id for a child.
*/

/*!
    \property MusubiTestStore::rootId
    \brief \c{"<module>:<instanceId>"} of the mounted root, empty before mount.
*/

/*!
    \property MusubiTestStore::instanceId
    \brief The caller-chosen instance id of the root's mount (the wire's \c id), empty before
    mount.
*/

/*!
    \property MusubiTestStore::mountParams
    \brief The mount params of the root.
*/

/*!
    \fn void MusubiTestStore::stateChanged()

    The state changed (any setter, including update()).
*/

/*!
    \fn void MusubiTestStore::commandReceived(const QString &name, const QJsonObject &payload)

    Command \a name with \a payload, addressed to this store, is about to be handled.
*/

/*!
    \fn void MusubiTestStore::infoReceived(const QString &topic, const QJsonValue &message)

    A \a message broadcast on \a topic is about to be handled by handleInfo().
    \sa subscribe()
*/

/*!
    Creates a store with \a parent. A root store is mounted by the server (the factory given to
    \l {MusubiTestServer-registerRoot}{MusubiTestServer::registerRoot()} creates it); a child
    store is attached with addChild().
*/
MusubiTestStore::MusubiTestStore(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<MusubiTestStorePrivate>())
{ }

/*!
    Destroys the store and its child stores; its subscriptions end.
*/
MusubiTestStore::~MusubiTestStore() = default;

QJsonArray MusubiTestStore::storeId() const
{
    QJsonArray id = d->parentStore ? d->parentStore->storeId() : QJsonArray();
    for (const QString &segment : d->localId)
        id.append(segment);
    return id;
}

/*!
    The local id given to addChild() (empty for a root).
*/
QStringList MusubiTestStore::localId() const
{
    return d->localId;
}

/*!
    The store this one was added to, or nullptr for a root.
*/
MusubiTestStore *MusubiTestStore::parentStore() const
{
    return d->parentStore;
}

/*!
    The root of this store's tree (this store for a root).
*/
MusubiTestStore *MusubiTestStore::rootStore() const
{
    const MusubiTestStore *store = this;
    while (store->d->parentStore)
        store = store->d->parentStore;
    return const_cast<MusubiTestStore *>(store);
}

QString MusubiTestStore::rootId() const
{
    return rootStore()->d->mount.rootId;
}

/*!
    The root's module name, empty before mount.
*/
QString MusubiTestStore::module() const
{
    return rootStore()->d->mount.module;
}

QString MusubiTestStore::instanceId() const
{
    return rootStore()->d->mount.instanceId;
}

QJsonObject MusubiTestStore::mountParams() const
{
    return rootStore()->d->mount.params;
}

/*!
    The connect params of the socket the root is mounted on.
*/
QVariantMap MusubiTestStore::connectParams() const
{
    return rootStore()->d->mount.connectParams;
}

/*!
    The server this store's root is mounted on, or nullptr.
*/
MusubiTestServer *MusubiTestStore::server() const
{
    const auto &session = rootStore()->d->session;
    return session ? session->server() : nullptr;
}

QJsonObject MusubiTestStore::state() const
{
    return d->state;
}

/*!
    Returns the state field \a key (undefined when absent).
*/
QJsonValue MusubiTestStore::value(const QString &key) const
{
    return d->state.value(key);
}

void MusubiTestStore::setState(const QJsonObject &state)
{
    if (state == d->state)
        return;
    d->state = state;
    Q_EMIT stateChanged();
    scheduleRender();
}

/*!
    Sets the state field \a key to \a value; schedules a re-render.
*/
void MusubiTestStore::setValue(const QString &key, const QJsonValue &value)
{
    const auto it = d->state.constFind(key);
    if (it != d->state.constEnd() && it.value() == value)
        return;
    d->state.insert(key, value);
    Q_EMIT stateChanged();
    scheduleRender();
}

/*!
    Removes the state field \a key; schedules a re-render.
*/
void MusubiTestStore::removeValue(const QString &key)
{
    if (!d->state.contains(key))
        return;
    d->state.remove(key);
    Q_EMIT stateChanged();
    scheduleRender();
}

/*!
    Mutates the state in place through \a mutator; schedules a re-render.
*/
void MusubiTestStore::update(const std::function<void(QJsonObject &)> &mutator)
{
    QJsonObject next = d->state;
    mutator(next);
    setState(next);
}

/*!
    Schedules a re-render without a state change (render() reads other data).
*/
void MusubiTestStore::invalidate()
{
    scheduleRender();
}

/*!
    Returns this store's rendered fields. Default: the renderer, else state().
    Values may contain childSlot(), streamSlot() and async markers anywhere.
*/
QJsonObject MusubiTestStore::render() const
{
    return d->renderer ? d->renderer(this) : d->state;
}

/*!
    Sets \a renderer as the function the default render() uses; schedules a re-render.
*/
void MusubiTestStore::setRenderer(Renderer renderer)
{
    d->renderer = std::move(renderer);
    scheduleRender();
}

/*!
    Attaches \a child under \a localId (non-empty) and takes ownership. A
    child already attached under the same local id is deleted first.
    Returns \a child. Schedules a re-render.
*/
MusubiTestStore *MusubiTestStore::addChild(const QStringList &localId, MusubiTestStore *child)
{
    if (!child || localId.isEmpty() || child == this) {
        qCWarning(lcTestServer) << "addChild: refused (null child, empty local id or self)";
        return child;
    }
    for (qsizetype i = 0; i < d->children.size(); ++i) {
        if (d->children.at(i).first == localId) {
            MusubiTestStore *old = d->children.at(i).second;
            d->children.removeAt(i);
            if (old && old != child)
                delete old;
            break;
        }
    }
    child->setParent(this);
    child->d->parentStore = this;
    child->d->localId = localId;
    d->children.append({localId, QPointer<MusubiTestStore>(child)});
    scheduleRender();
    return child;
}

/*!
    The child attached under \a localId, or nullptr.
*/
MusubiTestStore *MusubiTestStore::childStore(const QStringList &localId) const
{
    for (const auto &entry : d->children) {
        if (entry.first == localId)
            return entry.second;
    }
    return nullptr;
}

/*!
    Detaches and deletes the child under \a localId; schedules a re-render.
*/
void MusubiTestStore::removeChild(const QStringList &localId)
{
    for (qsizetype i = 0; i < d->children.size(); ++i) {
        if (d->children.at(i).first == localId) {
            MusubiTestStore *child = d->children.at(i).second;
            d->children.removeAt(i);
            delete child;
            scheduleRender();
            return;
        }
    }
}

/*!
    Every attached child, in attach order.
*/
QList<MusubiTestStore *> MusubiTestStore::childStores() const
{
    QList<MusubiTestStore *> out;
    for (const auto &entry : d->children) {
        if (entry.second)
            out.append(entry.second);
    }
    return out;
}

/*!
    A placeholder for the render output; the server replaces it with the
    full node of the child attached under \a localId (\c null if none).
*/
QJsonObject MusubiTestStore::childSlot(const QStringList &localId) const
{
    return QJsonObject{{Musubi::detail::childSlotKey(), QJsonArray::fromStringList(localId)}};
}

/*!
    Returns the wire marker \c{{"__musubi_stream__": stream}} of \a stream for the
    render output.
*/
QJsonObject MusubiTestStore::streamSlot(const QString &stream) const
{
    d->streamRef(stream);
    return QJsonObject{{u"__musubi_stream__"_s, stream}};
}

namespace {
MusubiTestStreamQueue &touch(MusubiTestStorePrivate *d, const QString &stream)
{
    if (!d->streamOrder.contains(stream))
        d->streamOrder.append(stream);
    return d->streamQueues[stream];
}
} // namespace

/*!
    Queues an insert of \a item under \a itemKey into \a stream. \a at: -1 append, 0 prepend, >0
    position. \a limit: an integer (sign ignored by clients, server convention negative) or
    null.
*/
void MusubiTestStore::streamInsert(const QString &stream, const QString &itemKey,
                                   const QJsonValue &item, int at, const QJsonValue &limit)
{
    MusubiTestStreamQueue &q = touch(d.get(), stream);
    q.inserts.append(QJsonObject{
            {u"op"_s, u"insert"_s},
            {u"stream"_s, stream},
            {u"ref"_s, d->streamRef(stream)},
            {u"store_id"_s, storeId()},
            {u"item_key"_s, itemKey},
            {u"at"_s, at},
            {u"item"_s, item},
            {u"limit"_s, limit.isDouble() ? limit : QJsonValue(QJsonValue::Null)},
    });
    scheduleRender();
}

/*!
    Queues a delete of \a itemKey from \a stream.
*/
void MusubiTestStore::streamDelete(const QString &stream, const QString &itemKey)
{
    MusubiTestStreamQueue &q = touch(d.get(), stream);
    q.deletes.append(QJsonObject{
            {u"op"_s, u"delete"_s},
            {u"stream"_s, stream},
            {u"ref"_s, d->streamRef(stream)},
            {u"store_id"_s, storeId()},
            {u"item_key"_s, itemKey},
    });
    scheduleRender();
}

/*!
    Queues a reset; discards the inserts/deletes of \a stream queued before it.
*/
void MusubiTestStore::streamReset(const QString &stream)
{
    MusubiTestStreamQueue &q = touch(d.get(), stream);
    // A reset wipes the client list, so what was queued before it is moot.
    q = MusubiTestStreamQueue();
    q.reset = true;
    scheduleRender();
}

/*!
    Returns
    \c{{"__musubi_async__":true,"status":"loading","result":previous,"reason":null}}:
    a loading value that keeps showing \a previous.
*/
QJsonObject MusubiTestStore::asyncLoading(const QJsonValue &previous) const
{
    return QJsonObject{{u"__musubi_async__"_s, true},
                       {u"status"_s, u"loading"_s},
                       {u"result"_s, previous.isUndefined() ? QJsonValue() : previous},
                       {u"reason"_s, QJsonValue()}};
}

/*!
    Returns \c{{"__musubi_async__":true,"status":"ok","result":result,"reason":null}}:
    a loaded value holding \a result.
*/
QJsonObject MusubiTestStore::asyncOk(const QJsonValue &result) const
{
    return QJsonObject{{u"__musubi_async__"_s, true},
                       {u"status"_s, u"ok"_s},
                       {u"result"_s, result.isUndefined() ? QJsonValue() : result},
                       {u"reason"_s, QJsonValue()}};
}

/*!
    Returns \c{{"__musubi_async__":true,"status":"failed","result":previous,"reason":reason}}: a
    failed value that keeps showing \a previous; pass e.g. \c{{"kind":"error","value":"nope"}}
    as \a reason.
*/
QJsonObject MusubiTestStore::asyncFailed(const QJsonValue &reason, const QJsonValue &previous) const
{
    return QJsonObject{{u"__musubi_async__"_s, true},
                       {u"status"_s, u"failed"_s},
                       {u"result"_s, previous.isUndefined() ? QJsonValue() : previous},
                       {u"reason"_s, reason.isUndefined() ? QJsonValue() : reason}};
}

/*!
    Queues the push event \a name with \a payload for the next envelope; schedules a flush.
*/
void MusubiTestStore::pushEvent(const QString &name, const QJsonValue &payload)
{
    d->events.append(QJsonObject{{u"store_id"_s, storeId()},
                                 {u"name"_s, name},
                                 {u"payload"_s, payload.isUndefined() ? QJsonValue() : payload}});
    scheduleRender();
}

/*!
    \target MusubiTestStore-onCommand

    Registers (or replaces) \a handler as the handler of command \a name.
*/
void MusubiTestStore::onCommand(const QString &name, CommandHandler handler)
{
    d->commands.insert(name, std::move(handler));
}

/*!
    Returns true if a handler is registered for \a name.
*/
bool MusubiTestStore::hasCommand(const QString &name) const
{
    return d->commands.contains(name);
}

/*!
    Runs command \a name with \a payload and returns its reply. Default: the registered handler,
    else MusubiTestReply::error("unknown command"). Override to route yourself.
*/
MusubiTestReply MusubiTestStore::handleCommand(const QString &name, const QJsonObject &payload)
{
    const auto it = d->commands.constFind(name);
    if (it == d->commands.constEnd() || !it.value())
        return MusubiTestReply::error(u"unknown command"_s);
    return it.value()(payload);
}

/*!
    \target MusubiTestStore-declareUpload

    Declares upload \a name with \a config; its slot is injected at the root of render output.
*/
void MusubiTestStore::declareUpload(const QString &name, const MusubiTestUploadConfig &config)
{
    if (!d->uploadNames.contains(name))
        d->uploadNames.append(name);
    d->uploads.insert(name, config);
    scheduleRender();
}

/*!
    Names of the declared uploads, in declaration order.
*/
QStringList MusubiTestStore::uploadNames() const
{
    return d->uploadNames;
}

/*!
    The config of upload \a name (defaults if undeclared).
*/
MusubiTestUploadConfig MusubiTestStore::uploadConfig(const QString &name) const
{
    return d->uploads.value(name);
}

/*!
    Returns true if \a name is declared.
*/
bool MusubiTestStore::hasUpload(const QString &name) const
{
    return d->uploads.contains(name);
}

/*!
    Queues the raw upload op \a op for the next envelope; \c store_id is stamped
    with this store's id if absent. Extension point for the upload protocol.
*/
void MusubiTestStore::queueUploadOp(const QJsonObject &op)
{
    QJsonObject stamped = op;
    if (!stamped.contains(u"store_id"_s))
        stamped.insert(u"store_id"_s, storeId());
    d->uploadOps.append(stamped);
    scheduleRender();
}

/*!
    Called once on a freshly created root, after its identity is known and
    before its initial render (Elixir \c mount/2), with the mount \a params.
    Default does nothing.
    Streams, events and upload ops queued here go into the initial envelope.
*/
void MusubiTestStore::mount(const QJsonObject &params)
{
    Q_UNUSED(params);
}

void MusubiTestStore::scheduleRender()
{
    if (auto *session = rootStore()->d->session.data())
        session->scheduleFlush();
}
