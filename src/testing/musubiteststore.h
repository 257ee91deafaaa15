// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubitestingglobal.h"
#include "musubitestreply.h"
#include "musubitestuploadconfig.h"
#include "musubitestuploadedentry.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QObject>
#include <QtCore/QStringList>
#include <QtCore/QVariantMap>

#include <functional>
#include <memory>

class MusubiTestServer;
class MusubiTestStorePrivate;
namespace Musubi::detail {
class TestRootSession;
}

/*!
    \class MusubiTestStore
    \brief One server-side store (root or child) of MusubiTestServer.

    A store is the test-server counterpart of an Elixir \c{use Musubi.Store}
    module instance. It owns:

    \list
    \li \b{state}: a QJsonObject (setState(), setValue(), update()). Every change
        schedules a re-render of the root on the next event-loop turn; the
        server then diffs the new wire tree against the last one it sent and
        pushes an envelope only if something changed (docs/protocol.md §4.4).
    \li \b{render}: render() turns state into the store's rendered fields. The
        default returns the renderer set with setRenderer(), else state()
        itself. Override it (or set a renderer) to compute derived fields.
        The server adds \c __musubi_store_id__ and one upload slot per declared
        upload; do not put either into the render output yourself.
    \li \b{child stores}: addChild() attaches a child under a local id; the
        child's store id is this store's id followed by the local id (root
        \c [] + \c{{"lines","line-2"}} = \c{["lines","line-2"]}). A child is only
        mounted (visible, addressable by commands) while the parent's render
        output contains childSlot(localId) somewhere — at any path, including
        inside arrays (lists of children). The server expands each slot into
        the child's full rendered node.
    \li \b{commands}: onCommand() registers a handler \c{payload → MusubiTestReply};
        handleCommand() may be overridden instead. Unknown names reply
        \c{{"reason":"unknown command"}}. A handler that throws (or returns
        MusubiTestReply::crash()) crashes the root's channel with \c phx_error.
    \li \b{streams}: streamInsert(), streamDelete(), streamReset() queue stream
        ops, flushed with the next envelope as \c{[reset?] ++ inserts ++ deletes}
        per stream, stores parent-first (§6.1). Place streamSlot(name) in the
        render output where the stream lives.
    \li \b{async values}: asyncLoading(), asyncOk(), asyncFailed() build the
        \c __musubi_async__ marker (§7) to store in state.
    \li \b{push events}: pushEvent() queues an event stamped with this store's id (§9).
    \li \b{pubsub}: subscribe() to a topic and every message broadcast() on it,
        by any store of any mount of the same server, arrives in handleInfo()
        (Phoenix.PubSub plus \c handle_info/2). This is how the mounts of one
        server talk to each other; see subscribe().
    \li \b{uploads}: declareUpload() adds an upload slot to the render output
        and queues a \c config upload op when the store mounts (§8.1).
        queueUploadOp() is the extension point for the upload protocol.
    \endlist

    Root stores are created by the factory given to
    MusubiTestServer::registerRoot(), one instance per mount (like a page
    server); mount() runs before the initial render. The server owns mounted
    roots and deletes them on unmount, channel end or disconnect. Child stores
    are owned (QObject parent) by the store they were added to.

    Everything runs on the server's thread; all calls are synchronous and
    never block.

    \sa MusubiTestServer, MusubiTestReply
*/
class MUSUBI_TESTING_EXPORT MusubiTestStore : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QJsonObject state READ state WRITE setState NOTIFY stateChanged)
    Q_PROPERTY(QJsonArray storeId READ storeId CONSTANT)
    Q_PROPERTY(QString rootId READ rootId CONSTANT)
    Q_PROPERTY(QString instanceId READ instanceId CONSTANT)
    Q_PROPERTY(QJsonObject mountParams READ mountParams CONSTANT)

public:
    //! Handles one command: receives the payload (always an object).
    using CommandHandler = std::function<MusubiTestReply(const QJsonObject &payload)>;
    //! Produces the rendered fields of \a store (see render()).
    using Renderer = std::function<QJsonObject(const MusubiTestStore *store)>;

    explicit MusubiTestStore(QObject *parent = nullptr);
    ~MusubiTestStore() override;

    // --- identity -------------------------------------------------------

    //! The wire store id: \c [] for a root, parent id + local id for a child.
    QJsonArray storeId() const;
    //! The local id given to addChild() (empty for a root).
    QStringList localId() const;
    //! The store this one was added to, or nullptr for a root.
    MusubiTestStore *parentStore() const;
    //! The root of this store's tree (this store for a root).
    MusubiTestStore *rootStore() const;
    //! \c{"<module>:<instanceId>"} of the mounted root, empty before mount.
    QString rootId() const;
    //! The root's module name, empty before mount.
    QString module() const;
    //! The caller-chosen instance id of the root's mount (the wire's \c id), empty before mount.
    QString instanceId() const;
    //! The mount params of the root.
    QJsonObject mountParams() const;
    //! The connect params of the socket the root is mounted on.
    QVariantMap connectParams() const;
    //! The server this store's root is mounted on, or nullptr.
    MusubiTestServer *server() const;

    // --- state ----------------------------------------------------------

    //! The whole state object.
    QJsonObject state() const;
    //! One state field (undefined when absent).
    Q_INVOKABLE QJsonValue value(const QString &key) const;
    //! Replaces the state; schedules a re-render.
    void setState(const QJsonObject &state);
    //! Sets one state field; schedules a re-render.
    Q_INVOKABLE void setValue(const QString &key, const QJsonValue &value);
    //! Removes one state field; schedules a re-render.
    Q_INVOKABLE void removeValue(const QString &key);
    //! Mutates the state in place through \a mutator; schedules a re-render.
    void update(const std::function<void(QJsonObject &state)> &mutator);
    //! Schedules a re-render without a state change (render() reads other data).
    Q_INVOKABLE void invalidate();

    // --- render ---------------------------------------------------------

    /*! Returns this store's rendered fields. Default: the renderer, else state().
        Values may contain childSlot(), streamSlot() and async markers anywhere. */
    virtual QJsonObject render() const;
    //! Sets the function the default render() uses; schedules a re-render.
    void setRenderer(Renderer renderer);

    // --- child stores ---------------------------------------------------

    /*! Attaches \a child under \a localId (non-empty) and takes ownership. A
        child already attached under the same local id is deleted first.
        Returns \a child. Schedules a re-render. */
    MusubiTestStore *addChild(const QStringList &localId, MusubiTestStore *child);
    //! The child attached under \a localId, or nullptr.
    Q_INVOKABLE MusubiTestStore *childStore(const QStringList &localId) const;
    //! Detaches and deletes the child under \a localId; schedules a re-render.
    Q_INVOKABLE void removeChild(const QStringList &localId);
    //! Every attached child, in attach order.
    QList<MusubiTestStore *> childStores() const;
    /*! A placeholder for the render output; the server replaces it with the
        full node of the child attached under \a localId (\c null if none). */
    Q_INVOKABLE QJsonObject childSlot(const QStringList &localId) const;

    // --- streams (docs/protocol.md §6) ---------------------------------------

    //! The wire marker \c{{"__musubi_stream__": stream}} for the render output.
    Q_INVOKABLE QJsonObject streamSlot(const QString &stream) const;
    /*! Queues an insert. \a at: -1 append, 0 prepend, >0 position. \a limit:
        an integer (sign ignored by clients, server convention negative) or null. */
    Q_INVOKABLE void streamInsert(const QString &stream, const QString &itemKey,
                                  const QJsonValue &item, int at = -1,
                                  const QJsonValue &limit = QJsonValue::Null);
    //! Queues a delete of \a itemKey.
    Q_INVOKABLE void streamDelete(const QString &stream, const QString &itemKey);
    //! Queues a reset; discards the inserts/deletes of \a stream queued before it.
    Q_INVOKABLE void streamReset(const QString &stream);

    // --- async values (docs/protocol.md §7) ----------------------------------

    //! \c{{"__musubi_async__":true,"status":"loading","result":previous,"reason":null}}
    Q_INVOKABLE QJsonObject asyncLoading(const QJsonValue &previous = QJsonValue::Null) const;
    //! \c{{"__musubi_async__":true,"status":"ok","result":result,"reason":null}}
    Q_INVOKABLE QJsonObject asyncOk(const QJsonValue &result) const;
    /*! \c{{"__musubi_async__":true,"status":"failed","result":previous,"reason":reason}};
        pass e.g. \c{{"kind":"error","value":"nope"}} as \a reason. */
    Q_INVOKABLE QJsonObject asyncFailed(const QJsonValue &reason,
                                        const QJsonValue &previous = QJsonValue::Null) const;

    // --- push events (docs/protocol.md §9) -----------------------------------

    //! Queues a push event for the next envelope; schedules a flush.
    Q_INVOKABLE void pushEvent(const QString &name, const QJsonValue &payload = QJsonObject());

    // --- pubsub (between mounts, like Phoenix.PubSub) -------------------------

    //! Handles one message broadcast on a topic this store subscribed to.
    using InfoHandler = std::function<void(const QJsonValue &message)>;

    /*!
        Subscribes this store to \a topic (Elixir \c{Phoenix.PubSub.subscribe/2}):
        from now on every message broadcast on \a topic, by any store of any
        mount of this server or by MusubiTestServer::broadcast(), arrives in
        handleInfo(). Subscribing twice is the same as once.

        A subscription belongs to the mount: it takes effect once the store's
        root is mounted (subscribing in the constructor or in mount() is
        fine) and ends with it (unmount, channel end, disconnect, server
        close or destruction). Child stores may subscribe too; a removed
        child's subscriptions go with it.

        \sa unsubscribe(), broadcast(), handleInfo(), MusubiTestServer::broadcast()
    */
    Q_INVOKABLE void subscribe(const QString &topic);
    /*!
        Ends the subscription to \a topic. Messages already queued for this
        store on \a topic are dropped.
        \sa subscribe()
    */
    Q_INVOKABLE void unsubscribe(const QString &topic);
    /*! True while this store is subscribed to \a topic.
        \sa subscriptions() */
    Q_INVOKABLE bool isSubscribed(const QString &topic) const;
    /*! The topics this store is subscribed to, in subscription order.
        \sa subscribe() */
    QStringList subscriptions() const;
    /*!
        Broadcasts \a message on \a topic to every subscribed store, this one
        included if it is subscribed (Elixir \c{Phoenix.PubSub.broadcast/3}).
        Returns how many stores it was queued for; 0 (with a warning) when
        this store is not mounted.
        \sa broadcastFrom(), MusubiTestServer::broadcast()
    */
    Q_INVOKABLE int broadcast(const QString &topic, const QJsonValue &message);
    /*!
        Like broadcast() but never delivers to this store (Elixir
        \c{Phoenix.PubSub.broadcast_from/4}): the usual call of a store that
        already applied the change itself.
        \sa broadcast()
    */
    Q_INVOKABLE int broadcastFrom(const QString &topic, const QJsonValue &message);
    /*!
        Registers (or, with an empty \a handler, removes) the function the
        default handleInfo() calls for messages on \a topic.
        \sa handleInfo()
    */
    void onInfo(const QString &topic, InfoHandler handler);
    /*!
        Receives one \a message broadcast on \a topic (Elixir
        \c{handle_info/2}); infoReceived() is emitted just before. Default:
        the handler registered with onInfo() for \a topic, else nothing.
        Override to route yourself.

        Runs on a later event-loop turn than the broadcast, never for a store
        whose mount ended or that unsubscribed meanwhile; messages on one
        topic arrive in the order they were broadcast. State changes made
        here render and reach the client like any other. A handler that
        throws crashes the root's channel with \c phx_error.
        \sa subscribe(), onInfo()
    */
    virtual void handleInfo(const QString &topic, const QJsonValue &message);

    // --- commands (docs/protocol.md §10) -------------------------------------

    //! Registers (or replaces) the handler of command \a name.
    void onCommand(const QString &name, CommandHandler handler);
    //! True if a handler is registered for \a name.
    bool hasCommand(const QString &name) const;
    /*! Runs command \a name. Default: the registered handler, else
        MusubiTestReply::error("unknown command"). Override to route yourself. */
    virtual MusubiTestReply handleCommand(const QString &name, const QJsonObject &payload);

    // --- uploads (docs/protocol.md §8) ---------------------------------------

    //! Declares upload \a name; its slot is injected at the root of render output.
    void declareUpload(const QString &name, const MusubiTestUploadConfig &config = {});
    //! Names of the declared uploads, in declaration order.
    QStringList uploadNames() const;
    //! The config of upload \a name (defaults if undeclared).
    MusubiTestUploadConfig uploadConfig(const QString &name) const;
    //! True if \a name is declared.
    bool hasUpload(const QString &name) const;
    /*! Queues a raw upload op for the next envelope; \c store_id is stamped
        with this store's id if absent. Extension point for the upload protocol. */
    void queueUploadOp(const QJsonObject &op);
    /*! Takes the finished entries of upload \a name (Elixir
        \c consume_uploaded_entries/3, for a command handler): they leave the
        server's registry, and when no entry of \a name remains a \c reset op
        is queued. Files stay in MusubiTestServer::uploadDirectory() until the
        server is destroyed. */
    QList<MusubiTestUploadedEntry> consumeUploadedEntries(const QString &name);

    // --- lifecycle ------------------------------------------------------

    /*! Called once on a freshly created root, after its identity is known and
        before its initial render (Elixir \c mount/2). Default does nothing.
        Streams, events and upload ops queued here go into the initial envelope. */
    virtual void mount(const QJsonObject &params);

Q_SIGNALS:
    //! The state changed (any setter, including update()).
    void stateChanged();
    //! A command addressed to this store is about to be handled.
    void commandReceived(const QString &name, const QJsonObject &payload);
    /*! A \a message broadcast on \a topic is about to be handled by handleInfo().
        \sa subscribe() */
    void infoReceived(const QString &topic, const QJsonValue &message);

private:
    friend class Musubi::detail::TestRootSession;
    friend class MusubiTestServer;
    friend class MusubiTestStorePrivate;
    void scheduleRender();
    std::unique_ptr<MusubiTestStorePrivate> d;
};
