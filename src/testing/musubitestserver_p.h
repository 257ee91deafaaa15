// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubitestserver.h"

#include <phoenixmessage.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QLoggingCategory>
#include <QtCore/QPointer>
#include <QtCore/QSet>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpServer>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketServer>

#include <memory>

Q_DECLARE_LOGGING_CATEGORY(lcTestServer)

class MusubiTestServerPrivate;

namespace Musubi::detail {

// The render-output key of a child-store placeholder (never on the wire).
inline QString childSlotKey()
{
    return QStringLiteral("__musubi_test_child__");
}

// A store id as a hash key: its compact JSON text.
inline QString storeIdKey(const QJsonArray &storeId)
{
    return QString::fromUtf8(QJsonDocument(storeId).toJson(QJsonDocument::Compact));
}

// An error reply's response: \c{{"reason": text}}.
inline QJsonObject reasonReply(const QString &text)
{
    return QJsonObject{{QStringLiteral("reason"), text}};
}

class TestConnection;

// Ends every PubSub subscription of \a store's tree (musubitestserverpubsub.cpp).
void clearSubscriptions(MusubiTestStore *store);

// One mounted root: the page-server counterpart. Owns the root store, the
// last wire tree sent and the version counter.
class TestRootSession : public QObject
{
    Q_OBJECT
public:
    TestRootSession(MusubiTestServerPrivate *server, TestConnection *connection,
                    const QString &topic, const QString &joinRef, MusubiTestStore *root,
                    const MusubiTestMount &mount);
    ~TestRootSession() override;

    MusubiTestServer *server() const;
    void scheduleFlush();
    // Renders, diffs and sends; returns false if nothing was sent.
    bool flush();
    // Detaches the store so nothing renders any more; the object dies later.
    void kill();

    MusubiTestServerPrivate *serverPrivate;
    QPointer<TestConnection> connection;
    QString topic;
    QString joinRef;
    QPointer<MusubiTestStore> root;
    MusubiTestMount mount;
    int version = 0;
    bool sentInitial = false;
    bool flushScheduled = false;
    bool dead = false;
    QJsonObject lastTree;
    QSet<MusubiTestStore *> lastStores;
    QHash<QString, QPointer<MusubiTestStore>> storeIndex; // compact JSON of store id → store

private:
    QJsonValue resolve(const QJsonValue &value, MusubiTestStore *owner,
                       QList<MusubiTestStore *> &stack, QList<MusubiTestStore *> &seen);
    QJsonObject renderNode(MusubiTestStore *store, QList<MusubiTestStore *> &stack,
                           QList<MusubiTestStore *> &seen);
};

// One joined channel of a connection.
struct TestChannel
{
    QString topic;
    QString joinRef;
    bool shared = false;
    QString uploadToken; // non-empty: a musubi_upload:<entry_ref> sub-channel
    QList<QPointer<TestRootSession>> roots;
};

// One client socket.
class TestConnection : public QObject
{
    Q_OBJECT
public:
    int id = 0;
    QPointer<QWebSocket> socket;
    QVariantMap params;
    QHash<QString, TestChannel> channels;
    // Outgoing frames held behind a delayed reply, per topic.
    QHash<QString, QList<QByteArray>> held;
    bool closed = false;
};

} // namespace Musubi::detail

class MusubiTestServerPrivate
{
public:
    using TestConnection = Musubi::detail::TestConnection;
    using TestChannel = Musubi::detail::TestChannel;
    using TestRootSession = Musubi::detail::TestRootSession;

    explicit MusubiTestServerPrivate(MusubiTestServer *q)
        : q(q)
    { }

    MusubiTestServer *q;
    QTcpServer *tcp = nullptr;
    QWebSocketServer *ws = nullptr;
    MusubiTestServer::Profile profile = MusubiTestServer::Profile::Both;
    MusubiTestServer::Authenticator authenticator;
    MusubiTestServer::ConnectAuthenticator connectAuthenticator;
    QString requiredToken;
    MusubiTestServer::JoinAuthenticator joinAuthenticator;
    QHash<QString, MusubiTestServer::RootFactory> factories;
    QList<QPointer<TestConnection>> connections;
    QList<QPointer<TestRootSession>> sessions;
    int nextConnectionId = 1;
    int nextUploadEntry = 1;
    // An entry accepted by a preflight, keyed by its token (docs/protocol.md §8).
    struct UploadEntry
    {
        enum class State { Pending, Uploading, Done, Failed };
        QPointer<MusubiTestStore> store;
        QString upload;
        QString entryRef;
        QString clientName;
        QString clientType;
        qint64 clientSize = 0;
        bool external = false;
        QString uploader;
        QJsonObject meta;
        State state = State::Pending;
        qint64 written = 0;
        int progress = 0;
        QString path; // the file in uploadDirectory(), once a channel joined
        std::shared_ptr<QFile> file; // open while chunks arrive
        QPointer<TestConnection> channelConnection;
        QString topic;
        QPointer<QTimer> chunkTimer;
        QElapsedTimer lastProgressOp; // progress ops are throttled to 10 Hz
    };
    QHash<QString, UploadEntry> uploadEntries;
    std::unique_ptr<QTemporaryDir> uploadDir;
    bool answersHeartbeats = true;
    bool skipVersion = false;
    bool dropAfterCommand = false;
    bool destroying = false;
    struct ReplyFault
    {
        QString event;
        int delayMs = -1; // -1: withhold
    };
    QList<ReplyFault> replyFaults;

    // pubsub (musubitestserverpubsub.cpp)
    // One broadcast waiting for delivery, with its recipients fixed at broadcast time.
    struct PubSubMessage
    {
        QString topic;
        QJsonValue message;
        QList<QPointer<MusubiTestStore>> recipients;
    };
    QList<PubSubMessage> pubSubQueue;
    bool pubSubScheduled = false;
    QList<MusubiTestStore *> subscribers(const QString &topic) const;
    int broadcast(MusubiTestStore *from, const QString &topic, const QJsonValue &message);
    void deliverPubSub();

    // transport
    void onTcpConnection();
    void inspectHandshake(QTcpSocket *socket);
    // The reason phrase of HTTP status \a code ("Unauthorized", ...).
    static QByteArray reasonPhrase(int code);
    void onWebSocket();
    void onText(TestConnection *c, const QString &text);
    void onBinary(TestConnection *c, const QByteArray &frame);
    void dropConnection(TestConnection *c, bool abort);

    // output
    void write(TestConnection *c, const QString &topic, const QByteArray &frame);
    void reply(TestConnection *c, const PhoenixMessage &to, const QString &status,
               const QJsonValue &response);
    void push(TestConnection *c, const QString &topic, const QString &joinRef, const QString &event,
              const QJsonValue &payload);

    // channels
    void dispatch(TestConnection *c, const PhoenixMessage &m);
    void handleJoin(TestConnection *c, const PhoenixMessage &m);
    void endChannel(TestConnection *c, const QString &topic, const QString &event);
    void handleShared(TestConnection *c, const PhoenixMessage &m);
    void handlePerRoot(TestConnection *c, const PhoenixMessage &m);
    void handleCommand(TestConnection *c, const PhoenixMessage &m, TestRootSession *session);
    void handleUploadEvent(TestConnection *c, const PhoenixMessage &m, TestRootSession *session);
    QJsonObject preflight(MusubiTestStore *store, const QString &upload, const QJsonArray &entries);
    // upload sub-channels (musubitestserveruploads.cpp)
    void handleUploadJoin(TestConnection *c, const PhoenixMessage &m);
    void handleUploadMessage(TestConnection *c, const PhoenixMessage &m, const QString &token);
    void uploadChannelEnded(const TestChannel &channel);
    void failUpload(const QString &token, const QString &code, const QString &message);
    void finishUploadChannel(const QString &token);
    void discardUploadFile(UploadEntry &entry);
    QString findUploadToken(MusubiTestStore *store, const QString &upload,
                            const QString &ref) const;
    void queueUploadOp(const UploadEntry &entry, const QJsonObject &op);
    // Queues a \c progress op unless one went out for this entry less than 100 ms ago.
    void queueUploadProgress(UploadEntry &entry);
    QString uploadDirectory();
    QString validateMount(const QJsonObject &payload, QString *module, QString *id,
                          QJsonObject *params) const;
    TestRootSession *startRoot(TestConnection *c, const QString &topic, const QString &joinRef,
                               const QString &module, const QString &id, const QJsonObject &params,
                               QString *refusal);
    void stopRoot(TestRootSession *session);
    void crashChannel(TestConnection *c, const QString &topic, const QString &why);

    TestRootSession *latestSession(const QString &rootId) const;
    void sendEnvelope(TestRootSession *session, const QJsonObject &envelope);
};
