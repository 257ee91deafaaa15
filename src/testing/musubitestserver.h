// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubitestingglobal.h"
#include "musubitestmount.h"
#include "musubiteststore.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QLoggingCategory>
#include <QtCore/QObject>
#include <QtCore/QUrl>
#include <QtCore/QVariantMap>

#include <functional>
#include <memory>

class MusubiTestServerPrivate;

/*!
    \class MusubiTestServer
    \brief An in-process Musubi server speaking Phoenix Channels v2 over a real WebSocket.

    Listens on 127.0.0.1 (port 0 = any free port by default); clients connect to
    url() (\c{ws://127.0.0.1:PORT/socket}, endpoint \c{/socket/websocket?vsn=2.0.0}).
    It serves both Musubi transport profiles at once, chosen by topic
    (docs/protocol.md §0): \c musubi:connection (Profile S: \c mount / \c unmount /
    \c command with \c root_id, B3 \c already_mounted) and
    \c{musubi:connection:<module>:<id>} (Profile R: join = mount, leave =
    unmount). setProfile() restricts it to one generation.

    Root stores are registered by module name with registerRoot(); every
    mount gets a fresh store instance. After each mount, command or
    server-side state change the server re-renders, diffs and pushes a
    \c patch envelope (reply before patch, gapless versions per root).

    Mounts are isolated like Phoenix processes; they talk through a
    PubSub: MusubiTestStore::subscribe(), broadcast(),
    MusubiTestStore::handleInfo().

    Fault-injection calls (dropConnections(), skipNextVersion(), ...) apply to
    every live connection; tests normally have one.

    Example:
    \code
    MusubiTestServer server;
    server.registerRoot(u"Demo.CounterStore"_s, [](const MusubiTestMount &m, QString *) {
        auto *store = new MusubiTestStore;
        store->setState({{u"count"_s, m.params.value(u"count"_s).toInt()}});
        store->onCommand(u"increment"_s, [store](const QJsonObject &p) {
            store->setValue(u"count"_s, store->value(u"count"_s).toInt() +
   p.value(u"amount"_s).toInt(1)); return MusubiTestReply::noReply();
        });
        return store;
    });
    QVERIFY(server.listen());
    // connect a client to server.url()
    \endcode

    \sa MusubiTestStore, MusubiTestMount, MusubiTestReply
*/
class MUSUBI_TESTING_EXPORT MusubiTestServer : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool listening READ isListening NOTIFY listeningChanged)
    Q_PROPERTY(int port READ port NOTIFY listeningChanged)
    Q_PROPERTY(QUrl url READ url NOTIFY listeningChanged)
    Q_PROPERTY(Profile profile READ profile WRITE setProfile NOTIFY profileChanged)
    Q_PROPERTY(bool answersHeartbeats READ answersHeartbeats WRITE setAnswersHeartbeats NOTIFY
                       answersHeartbeatsChanged)
    Q_PROPERTY(QString requiredToken READ requiredToken WRITE setRequiredToken NOTIFY
                       requiredTokenChanged)
    Q_PROPERTY(int connectionCount READ connectionCount NOTIFY connectionCountChanged)
    Q_PROPERTY(int mountedRootCount READ mountedRootCount NOTIFY mountedRootCountChanged)

public:
    /*! Which transport generations are served (docs/protocol.md §0).
        \value Both     both topics (default)
        \value Shared   only \c musubi:connection (like a 0.4–0.11 server); per-root topics are
       refused with \c unauthorized \value PerRoot  only \c{musubi:connection:<root>} (like a 0.12+
       server); the shared topic is refused with \c unauthorized */
    enum class Profile { Both, Shared, PerRoot };
    Q_ENUM(Profile)

    //! How closeChannel() ends a channel: \c phx_close or \c phx_error.
    enum class ChannelEnd { Close, Error };
    Q_ENUM(ChannelEnd)

    /*! Creates the root store for \a mount, or returns nullptr to refuse it;
        \a refusal (pre-set to \c "internal error") becomes the reply's reason.
        The server takes ownership of the returned store. */
    using RootFactory =
            std::function<MusubiTestStore *(const MusubiTestMount &mount, QString *refusal)>;
    //! Decides whether a socket with \a connectParams may connect (Musubi.Socket.handle_connect).
    using Authenticator = std::function<bool(const QVariantMap &connectParams)>;
    /*! Decides how the upgrade request of a socket with \a connectParams is
        answered: 0 accepts it, an HTTP status (401, 403, 503, ...) refuses it
        with that status, as a Phoenix endpoint does before the WebSocket exists. */
    using ConnectAuthenticator = std::function<int(const QVariantMap &connectParams)>;
    /*! Decides whether a \c musubi:connection* join may proceed (handle_join);
        false → \c{{"reason":"unauthorized"}}. */
    using JoinAuthenticator = std::function<bool(const QString &topic, const QJsonObject &payload,
                                                 const QVariantMap &connectParams)>;

    explicit MusubiTestServer(QObject *parent = nullptr);
    ~MusubiTestServer() override;

    // --- listening ------------------------------------------------------

    //! Listens on 127.0.0.1:\a port (0 = any free port). Returns false on failure.
    Q_INVOKABLE bool listen(int port = 0);
    //! Stops listening and drops every connection (roots are unmounted).
    Q_INVOKABLE void close();
    bool isListening() const;
    //! The port listened on, 0 when not listening.
    int port() const;
    //! \c{ws://127.0.0.1:PORT/socket}: the base URL a Musubi client is given.
    QUrl url() const;

    // --- configuration --------------------------------------------------

    Profile profile() const;
    void setProfile(Profile profile);
    //! Sets the connect hook; a refused socket gets HTTP 403 during the upgrade.
    void setAuthenticator(Authenticator authenticator);
    /*! Sets the connect hook that picks the HTTP status of a refusal
        (0 = accept). It runs after requiredToken() and before setAuthenticator()'s hook.
        \sa ConnectAuthenticator */
    void setConnectAuthenticator(ConnectAuthenticator authenticator);
    /*! When non-empty, a socket whose connect param \c token differs is
        refused during the upgrade with HTTP 401 Unauthorized. Empty (default):
        no token is required. */
    QString requiredToken() const;
    void setRequiredToken(const QString &token);
    //! Sets the join hook for \c musubi:connection and \c{musubi:connection:*} topics.
    void setJoinAuthenticator(JoinAuthenticator authenticator);

    //! Registers (or replaces) the root store type \a module.
    void registerRoot(const QString &module, RootFactory factory);
    //! Registers \a module as \c{new T} (T default-constructible MusubiTestStore subclass).
    template<typename T>
    void registerRoot(const QString &module)
    {
        registerRoot(module, [](const MusubiTestMount &, QString *) { return new T; });
    }
    //! Removes a registration; mounted roots stay mounted.
    void unregisterRoot(const QString &module);
    //! Registered module names.
    QStringList registeredModules() const;

    // --- introspection --------------------------------------------------

    int connectionCount() const;
    int mountedRootCount() const;
    //! Every mounted root store (all connections), oldest first.
    QList<MusubiTestStore *> mountedRoots() const;
    //! The most recently mounted root with \a rootId, or nullptr.
    Q_INVOKABLE MusubiTestStore *mountedRoot(const QString &rootId) const;
    //! The last wire tree sent for \a rootId (most recent mount), empty if none.
    Q_INVOKABLE QJsonObject wireTree(const QString &rootId) const;
    //! The version of the last envelope sent for \a rootId, -1 if not mounted.
    Q_INVOKABLE int rootVersion(const QString &rootId) const;
    //! Topics currently joined, over all connections.
    Q_INVOKABLE QStringList joinedTopics() const;
    /*! The directory received upload files are written to (a temporary
        directory removed with the server; partial files are deleted as soon
        as their transfer fails or is cancelled). */
    Q_INVOKABLE QString uploadDirectory() const;
    //! Renders every dirty root now and sends its envelope (normally done on the next event-loop turn).
    Q_INVOKABLE void flush();

    // --- pubsub (between mounts, like Phoenix.PubSub) ----------------------

    /*!
        Broadcasts \a message on \a topic to every store of every mount
        subscribed to it (Elixir \c{Phoenix.PubSub.broadcast/3}) and returns
        how many stores it was queued for.

        The recipients are the subscribers at the time of the call, oldest
        mount first. Delivery is queued: each recipient's
        MusubiTestStore::handleInfo() runs on a later event-loop turn, unless
        its mount ended or it unsubscribed meanwhile. Messages are delivered
        in broadcast order (so in order per topic), including those
        broadcast from inside handleInfo().

        \sa broadcastFrom(), MusubiTestStore::subscribe(), MusubiTestStore::handleInfo()
    */
    Q_INVOKABLE int broadcast(const QString &topic, const QJsonValue &message);
    /*!
        Like broadcast() but skips \a from (Elixir
        \c{Phoenix.PubSub.broadcast_from/4}); only that store is skipped, not
        the rest of its mount.
        \sa broadcast()
    */
    Q_INVOKABLE int broadcastFrom(MusubiTestStore *from, const QString &topic,
                                  const QJsonValue &message);
    /*! The stores currently subscribed to \a topic, oldest mount first.
        \sa subscriberCount(), MusubiTestStore::subscribe() */
    QList<MusubiTestStore *> subscribers(const QString &topic) const;
    /*! How many stores are currently subscribed to \a topic.
        \sa subscribers() */
    Q_INVOKABLE int subscriberCount(const QString &topic) const;

    // --- fault injection --------------------------------------------------

    //! Aborts every client socket now (no close frame; roots are unmounted).
    Q_INVOKABLE void dropConnections();
    //! Aborts the socket right after the next command's reply (before its patch).
    Q_INVOKABLE void dropAfterNextCommand();
    bool answersHeartbeats() const;
    //! When false, heartbeats get no reply (the client should declare the socket dead).
    void setAnswersHeartbeats(bool answer);
    //! The next envelope (any root) skips one version: base_version = last + 1.
    Q_INVOKABLE void skipNextVersion();
    /*! Pushes \a envelope verbatim as a \c patch on the channel of the most
        recent mount of \a rootId; it does not touch the root's version. */
    Q_INVOKABLE bool sendEnvelope(const QString &rootId, const QJsonObject &envelope);
    //! Sends \a frame as a text frame to every connection.
    Q_INVOKABLE void sendRawText(const QByteArray &frame);
    //! Sends \a frame as a binary frame to every connection.
    Q_INVOKABLE void sendRawBinary(const QByteArray &frame);
    /*! Delays the next reply to a push with event \a event (any non-heartbeat
        event if empty) by \a ms milliseconds; later frames of that channel
        (e.g. the command's patch) wait behind it. */
    Q_INVOKABLE void delayNextReply(int ms, const QString &event = {});
    /*! Never sends the next reply to a push with event \a event (any
        non-heartbeat event if empty). The push's effects (mount, patch) still happen. */
    Q_INVOKABLE void withholdNextReply(const QString &event = {});
    /*! Ends the channel on \a topic with \c phx_close or \c phx_error; its
        roots are unmounted. Returns false if no such channel is joined. */
    Q_INVOKABLE bool closeChannel(const QString &topic,
                                  MusubiTestServer::ChannelEnd how = ChannelEnd::Close);

Q_SIGNALS:
    void listeningChanged();
    void profileChanged();
    void answersHeartbeatsChanged();
    void requiredTokenChanged();
    void connectionCountChanged();
    void mountedRootCountChanged();

    //! A socket passed the connect hook.
    void clientConnected(int connectionId, const QVariantMap &connectParams);
    //! A socket was refused (bad path, vsn, token or authenticator).
    void clientRefused(const QVariantMap &connectParams);
    //! A socket's upgrade was answered with HTTP \a statusCode (after clientRefused()).
    void clientRefusedWithStatus(const QVariantMap &connectParams, int statusCode);
    void clientDisconnected(int connectionId);
    //! A text frame arrived (before it is handled).
    void textFrameReceived(const QByteArray &frame);
    //! A binary frame arrived (before it is handled).
    void binaryFrameReceived(const QByteArray &frame);
    //! A decoded client message arrived (text or binary; binary payloads are base64 strings here).
    void messageReceived(const QString &topic, const QString &event, const QJsonValue &payload);
    void channelJoined(const QString &topic, const QJsonObject &payload);
    void channelJoinRefused(const QString &topic, const QString &reason);
    void channelLeft(const QString &topic);
    void rootMounted(const QString &rootId, MusubiTestStore *root);
    void rootUnmounted(const QString &rootId);
    void commandReceived(const QString &rootId, const QJsonArray &storeId, const QString &name,
                         const QJsonObject &payload);
    //! An envelope was written to the socket (after its reply, if any).
    void envelopeSent(const QString &rootId, const QJsonObject &envelope);

private:
    friend class MusubiTestServerPrivate;
    friend class MusubiTestStore;
    std::unique_ptr<MusubiTestServerPrivate> d;
};
