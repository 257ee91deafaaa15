// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubitestserver.h"
#include "musubitestdiff_p.h"
#include "musubitestserver_p.h"
#include "musubiteststore_p.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QTimer>
#include <QtCore/QUrlQuery>
#include <QtNetwork/QTcpSocket>

#include <algorithm>
#include <exception>

using namespace Qt::StringLiterals;
using Musubi::detail::reasonReply;
using Musubi::detail::storeIdKey;
using Musubi::detail::TestChannel;
using Musubi::detail::TestConnection;
using Musubi::detail::TestRootSession;

Q_LOGGING_CATEGORY(lcTestServer, "musubi.testserver", QtInfoMsg)

namespace {

const QString kSharedTopic = u"musubi:connection"_s;
const QString kRootTopicPrefix = u"musubi:connection:"_s;

bool isStringArray(const QJsonValue &value)
{
    if (!value.isArray())
        return false;
    const QJsonArray array = value.toArray();
    return std::all_of(array.begin(), array.end(),
                       [](const QJsonValue &v) { return v.isString(); });
}

// The connect params of a socket: its URL's query, \c vsn removed.
QVariantMap connectParams(const QUrlQuery &query)
{
    QVariantMap params;
    const auto items = query.queryItems(QUrl::FullyDecoded);
    for (const auto &item : items) {
        if (item.first != u"vsn"_s)
            params.insert(item.first, item.second);
    }
    return params;
}

} // namespace

// ---------------------------------------------------------------------------
// TestRootSession

namespace Musubi::detail {

TestRootSession::TestRootSession(MusubiTestServerPrivate *server, TestConnection *connection,
                                 const QString &topic, const QString &joinRef,
                                 MusubiTestStore *root, const MusubiTestMount &mount)
    : serverPrivate(server)
    , connection(connection)
    , topic(topic)
    , joinRef(joinRef)
    , root(root)
    , mount(mount)
{
    root->setParent(this);
    auto *d = MusubiTestStorePrivate::get(root);
    d->mount = mount;
    d->session = this;
}

TestRootSession::~TestRootSession() = default;

MusubiTestServer *TestRootSession::server() const
{
    return serverPrivate->q;
}

void TestRootSession::scheduleFlush()
{
    if (dead || flushScheduled)
        return;
    flushScheduled = true;
    QTimer::singleShot(0, this, [this] {
        if (flushScheduled)
            flush();
    });
}

void TestRootSession::kill()
{
    if (dead)
        return;
    dead = true;
    flushScheduled = false;
    if (root) {
        // The mount ended: so did its PubSub subscriptions.
        clearSubscriptions(root);
        MusubiTestStorePrivate::get(root)->session = nullptr;
    }
    deleteLater();
}

QJsonValue TestRootSession::resolve(const QJsonValue &value, MusubiTestStore *owner,
                                    QList<MusubiTestStore *> &stack, QList<MusubiTestStore *> &seen)
{
    if (value.isArray()) {
        QJsonArray out;
        const QJsonArray in = value.toArray();
        for (const QJsonValue &item : in)
            out.append(resolve(item, owner, stack, seen));
        return out;
    }
    if (!value.isObject())
        return value;
    const QJsonObject object = value.toObject();
    if (object.size() == 1 && object.contains(childSlotKey())) {
        QStringList localId;
        const QJsonArray segments = object.value(childSlotKey()).toArray();
        for (const QJsonValue &s : segments)
            localId.append(s.toString());
        MusubiTestStore *child = owner->childStore(localId);
        if (!child) {
            qCWarning(lcTestServer) << "render: no child store" << localId << "under"
                                    << owner->storeId() << "- rendered as null";
            return QJsonValue();
        }
        if (stack.contains(child)) {
            qCWarning(lcTestServer) << "render: child store cycle at" << child->storeId();
            return QJsonValue();
        }
        return renderNode(child, stack, seen);
    }
    QJsonObject out;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it)
        out.insert(it.key(), resolve(it.value(), owner, stack, seen));
    return out;
}

QJsonObject TestRootSession::renderNode(MusubiTestStore *store, QList<MusubiTestStore *> &stack,
                                        QList<MusubiTestStore *> &seen)
{
    stack.append(store);
    if (!seen.contains(store))
        seen.append(store);
    QJsonObject rendered = store->render();
    QJsonObject node;
    for (auto it = rendered.constBegin(); it != rendered.constEnd(); ++it)
        node.insert(it.key(), resolve(it.value(), store, stack, seen));
    const auto *d = MusubiTestStorePrivate::get(store);
    for (const QString &upload : d->uploadNames)
        node.insert(upload, QJsonObject{{u"__musubi_upload__"_s, upload}});
    node.insert(u"__musubi_store_id__"_s, store->storeId());
    stack.removeLast();
    return node;
}

bool TestRootSession::flush()
{
    flushScheduled = false;
    if (dead || !root || !connection)
        return false;

    QList<MusubiTestStore *> stack;
    QList<MusubiTestStore *> seen;
    const QJsonObject tree = renderNode(root, stack, seen);

    // Stores flush parent-first (ascending store_id length), stable in render order.
    std::stable_sort(seen.begin(), seen.end(), [](MusubiTestStore *a, MusubiTestStore *b) {
        return a->storeId().size() < b->storeId().size();
    });

    QJsonArray streamOps;
    QJsonArray uploadOps;
    QJsonArray events;
    QHash<QString, QPointer<MusubiTestStore>> index;
    for (MusubiTestStore *store : std::as_const(seen)) {
        auto *d = MusubiTestStorePrivate::get(store);
        const QJsonArray storeId = store->storeId();
        index.insert(storeIdKey(storeId), store);
        for (const QString &stream : std::as_const(d->streamOrder)) {
            const MusubiTestStreamQueue q = d->streamQueues.value(stream);
            if (q.reset) {
                streamOps.append(QJsonObject{{u"op"_s, u"reset"_s},
                                             {u"stream"_s, stream},
                                             {u"ref"_s, d->streamRef(stream)},
                                             {u"store_id"_s, storeId}});
            }
            for (const QJsonArray &ops : {q.inserts, q.deletes}) {
                for (const QJsonValue &op : ops) {
                    QJsonObject stamped = op.toObject();
                    stamped.insert(u"store_id"_s, storeId);
                    streamOps.append(stamped);
                }
            }
        }
        // A store that just appeared announces its upload configs first.
        if (!lastStores.contains(store)) {
            for (const QString &upload : std::as_const(d->uploadNames)) {
                uploadOps.append(QJsonObject{{u"op"_s, u"config"_s},
                                             {u"upload"_s, upload},
                                             {u"store_id"_s, storeId},
                                             {u"config"_s, d->uploads.value(upload).toJson()}});
            }
        }
        for (const QJsonValue &op : std::as_const(d->uploadOps)) {
            QJsonObject stamped = op.toObject();
            if (!stamped.contains(u"store_id"_s))
                stamped.insert(u"store_id"_s, storeId);
            uploadOps.append(stamped);
        }
        for (const QJsonValue &event : std::as_const(d->events)) {
            QJsonObject stamped = event.toObject();
            stamped.insert(u"store_id"_s, storeId);
            events.append(stamped);
        }
        d->clearQueues();
    }
    // Stores that are not rendered are not mounted: what they queued is lost.
    std::function<void(MusubiTestStore *)> clearHidden = [&](MusubiTestStore *store) {
        if (!seen.contains(store))
            MusubiTestStorePrivate::get(store)->clearQueues();
        const auto children = store->childStores();
        for (MusubiTestStore *child : children)
            clearHidden(child);
    };
    clearHidden(root);

    QJsonArray ops;
    if (!sentInitial) {
        ops.append(QJsonObject{{u"op"_s, u"replace"_s}, {u"path"_s, u""_s}, {u"value"_s, tree}});
    } else if (tree != lastTree) {
        ops = Musubi::detail::diffJson(lastTree, tree);
    }
    storeIndex = index;
    lastStores = QSet<MusubiTestStore *>(seen.begin(), seen.end());
    lastTree = tree;
    if (ops.isEmpty() && streamOps.isEmpty() && uploadOps.isEmpty() && events.isEmpty())
        return false;
    sentInitial = true;

    int base = version;
    if (serverPrivate->skipVersion) {
        serverPrivate->skipVersion = false;
        ++base;
        qCInfo(lcTestServer) << "fault: skipping version" << version + 1 << "of" << mount.rootId;
    }
    version = base + 1;
    const QJsonObject envelope{{u"type"_s, u"patch"_s},
                               {u"root_id"_s, mount.rootId},
                               {u"base_version"_s, base},
                               {u"version"_s, version},
                               {u"ops"_s, ops},
                               {u"stream_ops"_s, streamOps},
                               {u"upload_ops"_s, uploadOps},
                               {u"events"_s, events}};
    serverPrivate->sendEnvelope(this, envelope);
    return true;
}

} // namespace Musubi::detail

// ---------------------------------------------------------------------------
// MusubiTestServerPrivate: transport

QByteArray MusubiTestServerPrivate::reasonPhrase(int code)
{
    switch (code) {
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return "Refused";
    }
}

void MusubiTestServerPrivate::onTcpConnection()
{
    while (tcp->hasPendingConnections()) {
        QTcpSocket *socket = tcp->nextPendingConnection();
        QObject::connect(socket, &QTcpSocket::readyRead, q,
                         [this, socket] { inspectHandshake(socket); });
        QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        if (socket->bytesAvailable())
            inspectHandshake(socket);
    }
}

// Reads the HTTP upgrade request without consuming it, so path, vsn and the
// connect hook are decided before the WebSocket handshake, and a refusal is a
// real HTTP status as Phoenix gives (403), not a WebSocket close.
void MusubiTestServerPrivate::inspectHandshake(QTcpSocket *socket)
{
    const QByteArray head = socket->peek(socket->bytesAvailable());
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0) {
        if (head.size() > 64 * 1024)
            socket->abort();
        return;
    }
    QObject::disconnect(socket, &QTcpSocket::readyRead, q, nullptr);
    const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
    const QUrl target = QUrl::fromEncoded(
            "http://127.0.0.1" + (requestLine.size() >= 2 ? requestLine.at(1) : QByteArray("/")));
    const QUrlQuery query(target);
    const QVariantMap params = connectParams(query);
    auto refuse = [&](int code) {
        const QByteArray status = QByteArray::number(code) + ' ' + reasonPhrase(code);
        qCInfo(lcTestServer) << "refused socket:" << status << target.toString();
        socket->write("HTTP/1.1 " + status + "\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        socket->disconnectFromHost();
        if (!destroying) {
            QPointer<MusubiTestServer> guard(q);
            Q_EMIT q->clientRefused(params);
            if (guard)
                Q_EMIT q->clientRefusedWithStatus(params, code);
        }
    };
    if (target.path() != u"/socket/websocket"_s) {
        refuse(404);
        return;
    }
    if (query.queryItemValue(u"vsn"_s) != u"2.0.0"_s) {
        refuse(403);
        return;
    }
    if (!requiredToken.isEmpty() && params.value(u"token"_s).toString() != requiredToken) {
        refuse(401);
        return;
    }
    if (connectAuthenticator) {
        const int code = connectAuthenticator(params);
        if (code != 0) {
            refuse(code >= 100 && code <= 599 && code != 101 ? code : 403);
            return;
        }
    }
    if (authenticator && !authenticator(params)) {
        refuse(403);
        return;
    }
    QObject::disconnect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    ws->handleConnection(socket);
}

void MusubiTestServerPrivate::onWebSocket()
{
    while (ws->hasPendingConnections()) {
        QWebSocket *socket = ws->nextPendingConnection();
        auto *c = new TestConnection;
        c->setParent(q);
        c->id = nextConnectionId++;
        c->socket = socket;
        socket->setParent(c);
        c->params = connectParams(QUrlQuery(socket->requestUrl()));
        connections.append(c);
        QPointer<TestConnection> guard(c);
        QObject::connect(socket, &QWebSocket::textMessageReceived, c,
                         [this, guard](const QString &t) {
                             if (guard)
                                 onText(guard, t);
                         });
        QObject::connect(socket, &QWebSocket::binaryMessageReceived, c,
                         [this, guard](const QByteArray &b) {
                             if (guard)
                                 onBinary(guard, b);
                         });
        QObject::connect(socket, &QWebSocket::disconnected, c, [this, guard] {
            if (guard)
                dropConnection(guard, false);
        });
        qCDebug(lcTestServer) << "connection" << c->id << "params" << c->params;
        Q_EMIT q->clientConnected(c->id, c->params);
        Q_EMIT q->connectionCountChanged();
    }
}

void MusubiTestServerPrivate::dropConnection(TestConnection *c, bool abort)
{
    if (!c || c->closed)
        return;
    c->closed = true;
    const QStringList topics = c->channels.keys();
    for (const QString &topic : topics)
        endChannel(c, topic, QString());
    connections.removeAll(c);
    if (c->socket) {
        QObject::disconnect(c->socket, nullptr, c, nullptr);
        if (abort) {
            // Frames already written (e.g. the reply before a drop) still go out.
            c->socket->flush();
            c->socket->abort();
        } else
            c->socket->close();
    }
    c->deleteLater();
    if (!destroying) {
        Q_EMIT q->clientDisconnected(c->id);
        Q_EMIT q->connectionCountChanged();
    }
}

void MusubiTestServerPrivate::onText(TestConnection *c, const QString &text)
{
    const QByteArray frame = text.toUtf8();
    Q_EMIT q->textFrameReceived(frame);
    QString error;
    const auto message = PhoenixSerializer::decodeText(frame, &error);
    if (!message) {
        qCWarning(lcTestServer) << "dropped undecodable text frame:" << error;
        return;
    }
    Q_EMIT q->messageReceived(message->topic, message->event, message->payload);
    dispatch(c, *message);
}

void MusubiTestServerPrivate::onBinary(TestConnection *c, const QByteArray &frame)
{
    Q_EMIT q->binaryFrameReceived(frame);
    QString error;
    const auto message = PhoenixSerializer::decodeBinaryPush(frame, &error);
    if (!message) {
        qCWarning(lcTestServer) << "dropped binary frame that is not a client push:" << error;
        return;
    }
    Q_EMIT q->messageReceived(message->topic, message->event,
                              QString::fromLatin1(message->binaryPayload.toBase64()));
    dispatch(c, *message);
}

// ---------------------------------------------------------------------------
// output

void MusubiTestServerPrivate::write(TestConnection *c, const QString &topic,
                                    const QByteArray &frame)
{
    if (!c || c->closed || !c->socket)
        return;
    auto held = c->held.find(topic);
    if (held != c->held.end()) {
        held->append(frame);
        return;
    }
    c->socket->sendTextMessage(QString::fromUtf8(frame));
}

void MusubiTestServerPrivate::reply(TestConnection *c, const PhoenixMessage &to,
                                    const QString &status, const QJsonValue &response)
{
    PhoenixMessage m;
    m.joinRef = to.joinRef;
    m.ref = to.ref;
    m.topic = to.topic;
    m.event = u"phx_reply"_s;
    m.payload = QJsonObject{{u"status"_s, status}, {u"response"_s, response}};
    const QByteArray frame = PhoenixSerializer::encodeText(m);

    if (to.topic != u"phoenix"_s) {
        for (qsizetype i = 0; i < replyFaults.size(); ++i) {
            const ReplyFault fault = replyFaults.at(i);
            if (!fault.event.isEmpty() && fault.event != to.event)
                continue;
            replyFaults.removeAt(i);
            if (fault.delayMs < 0) {
                qCInfo(lcTestServer) << "fault: withholding reply to" << to.event << to.ref;
                return;
            }
            qCInfo(lcTestServer) << "fault: delaying reply to" << to.event << to.ref << "by"
                                 << fault.delayMs << "ms";
            // Everything after the reply on this topic queues behind it.
            if (!c->held.contains(to.topic)) {
                c->held.insert(to.topic, {frame});
            } else {
                c->held[to.topic].append(frame);
            }
            QPointer<TestConnection> guard(c);
            const QString topic = to.topic;
            QTimer::singleShot(fault.delayMs, q, [guard, topic] {
                if (!guard || guard->closed || !guard->socket)
                    return;
                const QList<QByteArray> frames = guard->held.take(topic);
                for (const QByteArray &f : frames)
                    guard->socket->sendTextMessage(QString::fromUtf8(f));
            });
            return;
        }
    }
    write(c, to.topic, frame);
}

void MusubiTestServerPrivate::push(TestConnection *c, const QString &topic, const QString &joinRef,
                                   const QString &event, const QJsonValue &payload)
{
    PhoenixMessage m;
    m.joinRef = joinRef;
    m.topic = topic;
    m.event = event;
    m.payload = payload;
    // phx_close / phx_error carry the join ref in the ref slot too (as Phoenix does).
    if (event == u"phx_close"_s || event == u"phx_error"_s)
        m.ref = joinRef;
    write(c, topic, PhoenixSerializer::encodeText(m));
}

void MusubiTestServerPrivate::sendEnvelope(TestRootSession *session, const QJsonObject &envelope)
{
    push(session->connection, session->topic, session->joinRef, u"patch"_s, envelope);
    if (!destroying)
        Q_EMIT q->envelopeSent(session->mount.rootId, envelope);
}

// ---------------------------------------------------------------------------
// channels

void MusubiTestServerPrivate::dispatch(TestConnection *c, const PhoenixMessage &m)
{
    if (m.topic == u"phoenix"_s && m.event == u"heartbeat"_s) {
        if (answersHeartbeats)
            reply(c, m, u"ok"_s, QJsonObject());
        return;
    }
    if (m.event == u"phx_join"_s) {
        handleJoin(c, m);
        return;
    }
    const auto it = c->channels.constFind(m.topic);
    // Phoenix answers a push for a topic that is not joined, or for an older
    // incarnation of it, with "unmatched topic"; a leave of such a topic is acknowledged.
    if (it == c->channels.constEnd() || (!m.joinRef.isNull() && it->joinRef != m.joinRef)) {
        if (m.event == u"phx_leave"_s)
            reply(c, m, u"ok"_s, QJsonObject());
        else
            reply(c, m, u"error"_s, reasonReply(u"unmatched topic"_s));
        return;
    }
    if (m.event == u"phx_leave"_s) {
        reply(c, m, u"ok"_s, QJsonObject());
        endChannel(c, m.topic, u"phx_close"_s);
        return;
    }
    if (!it->uploadToken.isEmpty()) {
        handleUploadMessage(c, m, it->uploadToken);
        return;
    }
    if (m.isBinary || !m.payload.isObject()) {
        // Musubi's handle_in clauses are guarded by is_map(payload): anything else crashes.
        crashChannel(c, m.topic, u"payload is not a map"_s);
        return;
    }
    if (it->shared)
        handleShared(c, m);
    else
        handlePerRoot(c, m);
}

void MusubiTestServerPrivate::handleJoin(TestConnection *c, const PhoenixMessage &m)
{
    if (c->channels.contains(m.topic)) {
        // Phoenix closes the existing channel before running a duplicate join.
        endChannel(c, m.topic, u"phx_close"_s);
    }
    auto refuse = [&](const QString &why) {
        reply(c, m, u"error"_s, reasonReply(why));
        if (!destroying)
            Q_EMIT q->channelJoinRefused(m.topic, why);
    };
    const QJsonObject payload = m.payload.toObject();
    const bool shared = m.topic == kSharedTopic;
    const bool perRoot = m.topic.startsWith(kRootTopicPrefix);
    if (!shared && !perRoot) {
        if (m.topic.startsWith(u"musubi:"_s))
            refuse(u"unauthorized"_s);
        else if (m.topic.startsWith(u"musubi_upload:"_s))
            handleUploadJoin(c, m); // token checks in musubitestserveruploads.cpp
        else
            refuse(u"unmatched topic"_s);
        return;
    }
    if ((shared && profile == MusubiTestServer::Profile::PerRoot)
        || (perRoot && profile == MusubiTestServer::Profile::Shared)) {
        refuse(u"unauthorized"_s);
        return;
    }
    if (joinAuthenticator && !joinAuthenticator(m.topic, payload, c->params)) {
        refuse(u"unauthorized"_s);
        return;
    }
    if (shared) {
        TestChannel channel;
        channel.topic = m.topic;
        channel.joinRef = m.joinRef;
        channel.shared = true;
        c->channels.insert(m.topic, channel);
        reply(c, m, u"ok"_s, QJsonObject());
        Q_EMIT q->channelJoined(m.topic, payload);
        return;
    }
    if (!m.payload.isObject()) {
        refuse(u"params must be a map"_s);
        return;
    }
    QString module, id;
    QJsonObject params;
    const QString invalid = validateMount(payload, &module, &id, &params);
    if (!invalid.isEmpty()) {
        refuse(invalid);
        return;
    }
    QString refusal;
    TestChannel channel;
    channel.topic = m.topic;
    channel.joinRef = m.joinRef;
    QPointer<TestConnection> guard(c);
    TestRootSession *session = startRoot(c, m.topic, m.joinRef, module, id, params, &refusal);
    if (!guard || guard->closed)
        return;
    if (!session) {
        refuse(refusal);
        return;
    }
    channel.roots.append(session);
    c->channels.insert(m.topic, channel);
    reply(c, m, u"ok"_s, QJsonObject{{u"root_id"_s, session->mount.rootId}});
    Q_EMIT q->channelJoined(m.topic, payload);
    Q_EMIT q->rootMounted(session->mount.rootId, session->root);
    Q_EMIT q->mountedRootCountChanged();
    session->flush();
}

QString MusubiTestServerPrivate::validateMount(const QJsonObject &payload, QString *module,
                                               QString *id, QJsonObject *params) const
{
    *module = payload.value(u"module"_s).toString();
    if (module->isEmpty())
        return u"missing required field"_s;
    *id = payload.value(u"id"_s).toString();
    if (id->isEmpty())
        return u"missing root id"_s;
    const QJsonValue p = payload.value(u"params"_s);
    if (!p.isUndefined() && !p.isNull() && !p.isObject())
        return u"params must be a map"_s;
    *params = p.toObject();
    if (!factories.contains(*module))
        return u"unknown root"_s;
    return QString();
}

TestRootSession *MusubiTestServerPrivate::startRoot(TestConnection *c, const QString &topic,
                                                    const QString &joinRef, const QString &module,
                                                    const QString &id, const QJsonObject &params,
                                                    QString *refusal)
{
    MusubiTestMount mount;
    mount.module = module;
    mount.instanceId = id;
    mount.rootId = module + u':' + id;
    mount.params = params;
    mount.connectParams = c->params;
    mount.topic = topic;
    mount.connectionId = c->id;
    *refusal = u"internal error"_s;
    MusubiTestStore *root = nullptr;
    try {
        root = factories.value(module)(mount, refusal);
    } catch (const std::exception &e) {
        qCWarning(lcTestServer) << "root factory of" << module << "threw:" << e.what();
        root = nullptr;
    } catch (...) {
        qCWarning(lcTestServer) << "root factory of" << module << "threw";
        root = nullptr;
    }
    if (!root)
        return nullptr;
    auto *session = new TestRootSession(this, c, topic, joinRef, root, mount);
    session->setParent(q);
    sessions.append(session);
    try {
        root->mount(params);
    } catch (...) {
        qCWarning(lcTestServer) << "mount of" << mount.rootId << "threw";
        sessions.removeAll(session);
        session->kill();
        *refusal = u"internal error"_s;
        return nullptr;
    }
    qCDebug(lcTestServer) << "mounted" << mount.rootId << "on" << topic;
    return session;
}

void MusubiTestServerPrivate::stopRoot(TestRootSession *session)
{
    if (!session || session->dead)
        return;
    sessions.removeAll(session);
    const QString rootId = session->mount.rootId;
    session->kill();
    qCDebug(lcTestServer) << "unmounted" << rootId;
    if (!destroying) {
        Q_EMIT q->rootUnmounted(rootId);
        Q_EMIT q->mountedRootCountChanged();
    }
}

void MusubiTestServerPrivate::endChannel(TestConnection *c, const QString &topic,
                                         const QString &event)
{
    const auto it = c->channels.constFind(topic);
    if (it == c->channels.constEnd())
        return;
    const TestChannel channel = it.value();
    c->channels.remove(topic);
    if (!event.isEmpty())
        push(c, topic, channel.joinRef, event, QJsonObject());
    for (const auto &session : channel.roots)
        stopRoot(session);
    if (!channel.uploadToken.isEmpty())
        uploadChannelEnded(channel);
    if (!destroying)
        Q_EMIT q->channelLeft(topic);
}

void MusubiTestServerPrivate::crashChannel(TestConnection *c, const QString &topic,
                                           const QString &why)
{
    qCInfo(lcTestServer) << "channel" << topic << "crashed:" << why;
    endChannel(c, topic, u"phx_error"_s);
}

void MusubiTestServerPrivate::handleShared(TestConnection *c, const PhoenixMessage &m)
{
    const QJsonObject payload = m.payload.toObject();
    TestChannel &channel = c->channels[m.topic];
    auto findRoot = [&](const QString &rootId) -> TestRootSession * {
        for (const auto &s : std::as_const(channel.roots)) {
            if (s && !s->dead && s->mount.rootId == rootId)
                return s;
        }
        return nullptr;
    };
    if (m.event == u"mount"_s) {
        QString module, id;
        QJsonObject params;
        const QString invalid = validateMount(payload, &module, &id, &params);
        if (!invalid.isEmpty()) {
            reply(c, m, u"error"_s, reasonReply(invalid));
            return;
        }
        const QString rootId = module + u':' + id;
        if (findRoot(rootId)) {
            reply(c, m, u"error"_s,
                  QJsonObject{{u"reason"_s, u"already_mounted"_s}, {u"root_id"_s, rootId}});
            return;
        }
        QString refusal;
        QPointer<TestConnection> guard(c);
        TestRootSession *session = startRoot(c, m.topic, m.joinRef, module, id, params, &refusal);
        if (!guard || guard->closed || !c->channels.contains(m.topic))
            return;
        if (!session) {
            reply(c, m, u"error"_s, reasonReply(refusal));
            return;
        }
        c->channels[m.topic].roots.append(session);
        reply(c, m, u"ok"_s, QJsonObject{{u"root_id"_s, rootId}});
        Q_EMIT q->rootMounted(rootId, session->root);
        Q_EMIT q->mountedRootCountChanged();
        session->flush();
        return;
    }
    const QJsonValue rootIdValue = payload.value(u"root_id"_s);
    if (m.event == u"unmount"_s || m.event == u"command"_s || m.event.endsWith(u"_upload"_s)
        || m.event.startsWith(u"upload_"_s)) {
        if (!rootIdValue.isString() || rootIdValue.toString().isEmpty()) {
            reply(c, m, u"error"_s, reasonReply(u"missing required field"_s));
            return;
        }
        TestRootSession *session = findRoot(rootIdValue.toString());
        if (!session) {
            reply(c, m, u"error"_s, reasonReply(u"unknown root"_s));
            return;
        }
        if (m.event == u"unmount"_s) {
            channel.roots.removeAll(session);
            reply(c, m, u"ok"_s, QJsonObject());
            stopRoot(session);
        } else if (m.event == u"command"_s) {
            handleCommand(c, m, session);
        } else {
            handleUploadEvent(c, m, session);
        }
        return;
    }
    crashChannel(c, m.topic, u"no handle_in clause for "_s + m.event);
}

void MusubiTestServerPrivate::handlePerRoot(TestConnection *c, const PhoenixMessage &m)
{
    const TestChannel &channel = c->channels[m.topic];
    TestRootSession *session = channel.roots.isEmpty() ? nullptr : channel.roots.first().data();
    if (!session || session->dead) {
        crashChannel(c, m.topic, u"root is gone"_s);
        return;
    }
    if (m.event == u"command"_s)
        handleCommand(c, m, session);
    else if (m.event.endsWith(u"_upload"_s) || m.event.startsWith(u"upload_"_s))
        handleUploadEvent(c, m, session);
    else
        crashChannel(c, m.topic, u"no handle_in clause for "_s + m.event);
}

void MusubiTestServerPrivate::handleCommand(TestConnection *c, const PhoenixMessage &m,
                                            TestRootSession *session)
{
    const QJsonObject payload = m.payload.toObject();
    const QString name = payload.value(u"name"_s).toString();
    const QJsonValue storeIdValue = payload.value(u"store_id"_s);
    const QJsonArray storeId = storeIdValue.toArray();
    if (!storeIdValue.isUndefined() && !isStringArray(storeIdValue)) {
        crashChannel(c, m.topic, u"store_id is not a list of strings"_s);
        return;
    }
    if (name.isEmpty()) {
        reply(c, m, u"error"_s, reasonReply(u"missing required field"_s));
        return;
    }
    // Pending changes render first so the index matches what the client saw.
    if (session->flushScheduled)
        session->flush();
    MusubiTestStore *store = session->storeIndex.value(storeIdKey(storeId));
    if (!store) {
        reply(c, m, u"error"_s, reasonReply(u"unknown store"_s));
        return;
    }
    const QJsonValue argsValue = payload.value(u"payload"_s);
    const QJsonObject args = argsValue.toObject();
    Q_EMIT q->commandReceived(session->mount.rootId, storeId, name, args);
    Q_EMIT store->commandReceived(name, args);

    QPointer<TestConnection> guard(c);
    QPointer<TestRootSession> sessionGuard(session);
    MusubiTestReply result;
    try {
        result = store->handleCommand(name, args);
    } catch (const std::exception &e) {
        result = MusubiTestReply::crash(QString::fromUtf8(e.what()));
    } catch (...) {
        result = MusubiTestReply::crash(u"handler threw"_s);
    }
    if (!guard || guard->closed || !sessionGuard || sessionGuard->dead)
        return;
    if (result.kind() == MusubiTestReply::Kind::Crash) {
        crashChannel(c, m.topic,
                     u"command "_s + name + u" crashed: "_s
                             + result.response().value(u"reason"_s).toString());
        return;
    }
    reply(c, m, result.kind() == MusubiTestReply::Kind::Ok ? u"ok"_s : u"error"_s,
          result.response());
    if (dropAfterCommand) {
        dropAfterCommand = false;
        qCInfo(lcTestServer) << "fault: dropping the socket after command" << name;
        dropConnection(c, true);
        return;
    }
    // Reply before patch (docs/protocol.md §10.4).
    session->flush();
}

TestRootSession *MusubiTestServerPrivate::latestSession(const QString &rootId) const
{
    for (qsizetype i = sessions.size() - 1; i >= 0; --i) {
        TestRootSession *s = sessions.at(i);
        if (s && !s->dead && s->mount.rootId == rootId)
            return s;
    }
    return nullptr;
}

// ---------------------------------------------------------------------------
// MusubiTestServer

/*!
    \class MusubiTestServer
    \inmodule MusubiTesting
    \inheaderfile musubitestserver.h
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
    PubSub: \l {MusubiTestStore-subscribe}{MusubiTestStore::subscribe()}, broadcast(),
    \l {MusubiTestStore-handleInfo}{MusubiTestStore::handleInfo()}.

    Connecting sockets pass three hooks, in this order: requiredToken()
    (HTTP 401), the connect authenticator of setConnectAuthenticator() (any
    HTTP status) and the one of setAuthenticator() (HTTP 403); channel joins
    pass the hook of setJoinAuthenticator().

    Fault-injection calls (dropConnections(), skipNextVersion(), ...) apply to
    every live connection; tests normally have one.

    Example:
    \code
    MusubiTestServer server;
    server.registerRoot(u"Demo.CounterStore"_s, [](const MusubiTestMount &m, QString *) {
        auto *store = new MusubiTestStore;
        store->setState({{u"count"_s, m.params.value(u"count"_s).toInt()}});
        store->onCommand(u"increment"_s, [store](const QJsonObject &p) {
            store->setValue(u"count"_s,
                            store->value(u"count"_s).toInt() + p.value(u"amount"_s).toInt(1));
            return MusubiTestReply::noReply();
        });
        return store;
    });
    QVERIFY(server.listen());
    // connect a client to server.url()
    \endcode

    \sa MusubiTestStore, MusubiTestMount, MusubiTestReply
*/

/*!
    \enum MusubiTestServer::Profile
    \brief Which transport generations are served (docs/protocol.md §0).

    \value Both     Both topics (default).
    \value Shared   Only \c musubi:connection (like a 0.4–0.11 server); per-root topics are
                    refused with \c unauthorized.
    \value PerRoot  Only \c{musubi:connection:<root>} (like a 0.12+ server); the shared topic
                    is refused with \c unauthorized.
*/

/*!
    \enum MusubiTestServer::ChannelEnd
    \brief How closeChannel() ends a channel.

    \value Close    With \c phx_close (the server left the channel normally).
    \value Error    With \c phx_error (the channel crashed).
*/

/*!
    \typealias MusubiTestServer::RootFactory
    \brief Creates the root store of one mount.

    Called as \c{factory(mount, refusal)}: returns the root store for
    \c mount (a MusubiTestMount), or nullptr to refuse it; \c refusal
    (pre-set to \c "internal error") becomes the reply's reason. The server
    takes ownership of the returned store.
*/

/*!
    \typealias MusubiTestServer::Authenticator
    \brief Decides whether a socket with the given connect params may connect
    (Musubi.Socket.handle_connect).

    Returns true to accept; a refused socket gets HTTP 403 during the upgrade.
    \sa setAuthenticator()
*/

/*!
    \typealias MusubiTestServer::ConnectAuthenticator
    \brief Decides how the upgrade request of a socket with the given connect params is answered.

    Returns 0 to accept it, or an HTTP status (401, 403, 503, ...) that refuses
    it with that status, as a Phoenix endpoint does before the WebSocket exists.
    \sa setConnectAuthenticator()
*/

/*!
    \typealias MusubiTestServer::JoinAuthenticator
    \brief Decides whether a \c musubi:connection* join may proceed (handle_join).

    Called with the topic, the join payload and the socket's connect params;
    false refuses the join with \c{{"reason":"unauthorized"}}.
    \sa setJoinAuthenticator()
*/

/*!
    \fn template<typename T> void MusubiTestServer::registerRoot(const QString &module)

    Registers \a module as \c{new T} (T a default-constructible MusubiTestStore subclass).
*/

/*!
    \property MusubiTestServer::listening
    \brief Whether the server is listening.
    \sa listen(), close()
*/

/*!
    \property MusubiTestServer::port
    \brief The port listened on, 0 when not listening.
*/

/*!
    \property MusubiTestServer::url
    \brief \c{ws://127.0.0.1:PORT/socket}: the base URL a Musubi client is given.
*/

/*!
    \property MusubiTestServer::profile
    \brief Which transport generations are served; Profile::Both by default.
*/

/*!
    \property MusubiTestServer::answersHeartbeats
    \brief Whether heartbeats get a reply (true by default).

    When false, heartbeats get no reply, so the client should declare the
    socket dead.
*/

/*!
    \property MusubiTestServer::requiredToken
    \brief The connect param \c token a socket must carry.

    When non-empty, a socket whose connect param \c token differs is refused
    during the upgrade with HTTP 401 Unauthorized (clientRefused() and
    clientRefusedWithStatus() are emitted). Empty (default): no token is
    required.
*/

/*!
    \property MusubiTestServer::connectionCount
    \brief The number of connected client sockets.
*/

/*!
    \property MusubiTestServer::mountedRootCount
    \brief The number of mounted roots, over all connections.
*/

/*!
    \fn void MusubiTestServer::listeningChanged()

    The server started or stopped listening: \l listening, \l port and \l url changed.
*/

/*!
    \fn void MusubiTestServer::clientConnected(int connectionId, const QVariantMap &connectParams)

    A socket with \a connectParams passed the connect hooks; \a connectionId
    identifies it in clientDisconnected().
*/

/*!
    \fn void MusubiTestServer::clientRefused(const QVariantMap &connectParams)

    A socket with \a connectParams was refused (bad path, vsn, token or authenticator).
*/

/*!
    \fn void MusubiTestServer::clientRefusedWithStatus(const QVariantMap &connectParams, int statusCode)

    The upgrade of a socket with \a connectParams was answered with HTTP
    \a statusCode (emitted after clientRefused()).
*/

/*!
    \fn void MusubiTestServer::clientDisconnected(int connectionId)

    The socket \a connectionId went away (closed, dropped or aborted); its
    roots are unmounted.
*/

/*!
    \fn void MusubiTestServer::textFrameReceived(const QByteArray &frame)

    A text \a frame arrived (before it is handled).
*/

/*!
    \fn void MusubiTestServer::binaryFrameReceived(const QByteArray &frame)

    A binary \a frame arrived (before it is handled).
*/

/*!
    \fn void MusubiTestServer::messageReceived(const QString &topic, const QString &event, const QJsonValue &payload)

    A decoded client message arrived on \a topic with \a event and \a payload
    (text or binary frame; binary payloads are base64 strings here).
*/

/*!
    \fn void MusubiTestServer::channelJoined(const QString &topic, const QJsonObject &payload)

    A channel on \a topic was joined with the join \a payload.
*/

/*!
    \fn void MusubiTestServer::channelJoinRefused(const QString &topic, const QString &reason)

    A join of \a topic was refused with \a reason.
*/

/*!
    \fn void MusubiTestServer::channelLeft(const QString &topic)

    The channel on \a topic ended (left by the client, closed by
    closeChannel() or gone with its socket).
*/

/*!
    \fn void MusubiTestServer::rootMounted(const QString &rootId, MusubiTestStore *root)

    The root \a rootId was mounted; \a root is its fresh store.
*/

/*!
    \fn void MusubiTestServer::rootUnmounted(const QString &rootId)

    The root \a rootId was unmounted; its store is deleted later.
*/

/*!
    \fn void MusubiTestServer::commandReceived(const QString &rootId, const QJsonArray &storeId, const QString &name, const QJsonObject &payload)

    Command \a name with \a payload arrived for the store \a storeId of root
    \a rootId (before it is handled).
*/

/*!
    \fn void MusubiTestServer::envelopeSent(const QString &rootId, const QJsonObject &envelope)

    \a envelope was written to the socket for root \a rootId (after its reply, if any).
*/

/*!
    Creates a server that is not listening yet, with \a parent.
    \sa listen()
*/
MusubiTestServer::MusubiTestServer(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<MusubiTestServerPrivate>(this))
{
    d->tcp = new QTcpServer(this);
    d->ws = new QWebSocketServer(u"MusubiTestServer"_s, QWebSocketServer::NonSecureMode, this);
    connect(d->tcp, &QTcpServer::newConnection, this, [this] { d->onTcpConnection(); });
    connect(d->ws, &QWebSocketServer::newConnection, this, [this] { d->onWebSocket(); });
}

/*!
    Destroys the server; every connection is dropped and its roots are unmounted.
*/
MusubiTestServer::~MusubiTestServer()
{
    d->destroying = true;
    const auto connections = d->connections;
    for (const auto &c : connections)
        d->dropConnection(c, true);
}

/*!
    Listens on 127.0.0.1:\a port (0 = any free port). Returns false on failure.
*/
bool MusubiTestServer::listen(int port)
{
    if (d->tcp->isListening())
        return true;
    if (port < 0 || port > 65535 || !d->tcp->listen(QHostAddress::LocalHost, quint16(port))) {
        qCWarning(lcTestServer) << "listen failed:" << d->tcp->errorString();
        return false;
    }
    qCDebug(lcTestServer) << "listening on" << url();
    Q_EMIT listeningChanged();
    return true;
}

/*!
    Stops listening and drops every connection (roots are unmounted).
*/
void MusubiTestServer::close()
{
    const bool was = d->tcp->isListening();
    d->tcp->close();
    const auto connections = d->connections;
    for (const auto &c : connections)
        d->dropConnection(c, false);
    if (was)
        Q_EMIT listeningChanged();
}

bool MusubiTestServer::isListening() const
{
    return d->tcp->isListening();
}

int MusubiTestServer::port() const
{
    return d->tcp->isListening() ? d->tcp->serverPort() : 0;
}

QUrl MusubiTestServer::url() const
{
    if (!isListening())
        return QUrl();
    return QUrl(u"ws://127.0.0.1:%1/socket"_s.arg(port()));
}

MusubiTestServer::Profile MusubiTestServer::profile() const
{
    return d->profile;
}

void MusubiTestServer::setProfile(Profile profile)
{
    if (d->profile == profile)
        return;
    d->profile = profile;
    Q_EMIT profileChanged();
}

/*!
    Sets the connect hook to \a authenticator; a refused socket gets HTTP 403 during the
    upgrade.
*/
void MusubiTestServer::setAuthenticator(Authenticator authenticator)
{
    d->authenticator = std::move(authenticator);
}

/*!
    Sets \a authenticator as the connect hook that picks the HTTP status of a
    refusal (0 = accept). It runs after requiredToken() and before setAuthenticator()'s hook.
    \sa ConnectAuthenticator
*/
void MusubiTestServer::setConnectAuthenticator(ConnectAuthenticator authenticator)
{
    d->connectAuthenticator = std::move(authenticator);
}

QString MusubiTestServer::requiredToken() const
{
    return d->requiredToken;
}

void MusubiTestServer::setRequiredToken(const QString &token)
{
    if (d->requiredToken == token)
        return;
    d->requiredToken = token;
    Q_EMIT requiredTokenChanged();
}

/*!
    Sets \a authenticator as the join hook for \c musubi:connection and \c{musubi:connection:*}
    topics.
*/
void MusubiTestServer::setJoinAuthenticator(JoinAuthenticator authenticator)
{
    d->joinAuthenticator = std::move(authenticator);
}

/*!
    \target MusubiTestServer-registerRoot

    Registers (or replaces) the root store type \a module; \a factory creates its
    store for every mount.
*/
void MusubiTestServer::registerRoot(const QString &module, RootFactory factory)
{
    if (!factory) {
        d->factories.remove(module);
        return;
    }
    d->factories.insert(module, std::move(factory));
}

/*!
    Removes the registration of \a module; mounted roots stay mounted.
*/
void MusubiTestServer::unregisterRoot(const QString &module)
{
    d->factories.remove(module);
}

/*!
    Registered module names.
*/
QStringList MusubiTestServer::registeredModules() const
{
    QStringList modules = d->factories.keys();
    modules.sort();
    return modules;
}

int MusubiTestServer::connectionCount() const
{
    return int(d->connections.size());
}

int MusubiTestServer::mountedRootCount() const
{
    return int(d->sessions.size());
}

/*!
    Every mounted root store (all connections), oldest first.
*/
QList<MusubiTestStore *> MusubiTestServer::mountedRoots() const
{
    QList<MusubiTestStore *> out;
    for (const auto &s : d->sessions) {
        if (s && !s->dead && s->root)
            out.append(s->root);
    }
    return out;
}

/*!
    The most recently mounted root with \a rootId, or nullptr.
*/
MusubiTestStore *MusubiTestServer::mountedRoot(const QString &rootId) const
{
    TestRootSession *s = d->latestSession(rootId);
    return s ? s->root.data() : nullptr;
}

/*!
    The last wire tree sent for \a rootId (most recent mount), empty if none.
*/
QJsonObject MusubiTestServer::wireTree(const QString &rootId) const
{
    TestRootSession *s = d->latestSession(rootId);
    return s ? s->lastTree : QJsonObject();
}

/*!
    The version of the last envelope sent for \a rootId, -1 if not mounted.
*/
int MusubiTestServer::rootVersion(const QString &rootId) const
{
    TestRootSession *s = d->latestSession(rootId);
    return s ? s->version : -1;
}

/*!
    Topics currently joined, over all connections.
*/
QStringList MusubiTestServer::joinedTopics() const
{
    QStringList topics;
    for (const auto &c : d->connections) {
        if (c)
            topics += c->channels.keys();
    }
    topics.sort();
    return topics;
}

/*!
    Renders every dirty root now and sends its envelope (normally done on the next event-loop turn).
*/
void MusubiTestServer::flush()
{
    const auto sessions = d->sessions;
    for (const auto &s : sessions) {
        if (s && s->flushScheduled)
            s->flush();
    }
}

/*!
    Aborts every client socket now (no close frame; roots are unmounted).
*/
void MusubiTestServer::dropConnections()
{
    qCInfo(lcTestServer) << "fault: dropping" << d->connections.size() << "connection(s)";
    const auto connections = d->connections;
    for (const auto &c : connections)
        d->dropConnection(c, true);
}

/*!
    Aborts the socket right after the next command's reply (before its patch).
*/
void MusubiTestServer::dropAfterNextCommand()
{
    d->dropAfterCommand = true;
}

bool MusubiTestServer::answersHeartbeats() const
{
    return d->answersHeartbeats;
}

void MusubiTestServer::setAnswersHeartbeats(bool answer)
{
    if (d->answersHeartbeats == answer)
        return;
    d->answersHeartbeats = answer;
    Q_EMIT answersHeartbeatsChanged();
}

/*!
    The next envelope (any root) skips one version: base_version = last + 1.
*/
void MusubiTestServer::skipNextVersion()
{
    d->skipVersion = true;
}

/*!
    Pushes \a envelope verbatim as a \c patch on the channel of the most
    recent mount of \a rootId; it does not touch the root's version. Returns
    false if \a rootId is not mounted.
*/
bool MusubiTestServer::sendEnvelope(const QString &rootId, const QJsonObject &envelope)
{
    TestRootSession *s = d->latestSession(rootId);
    if (!s || !s->connection)
        return false;
    d->sendEnvelope(s, envelope);
    return true;
}

/*!
    Sends \a frame as a text frame to every connection.
*/
void MusubiTestServer::sendRawText(const QByteArray &frame)
{
    for (const auto &c : d->connections) {
        if (c && c->socket)
            c->socket->sendTextMessage(QString::fromUtf8(frame));
    }
}

/*!
    Sends \a frame as a binary frame to every connection.
*/
void MusubiTestServer::sendRawBinary(const QByteArray &frame)
{
    for (const auto &c : d->connections) {
        if (c && c->socket)
            c->socket->sendBinaryMessage(frame);
    }
}

/*!
    Delays the next reply to a push with event \a event (any non-heartbeat
    event if empty) by \a ms milliseconds; later frames of that channel
    (e.g. the command's patch) wait behind it.
*/
void MusubiTestServer::delayNextReply(int ms, const QString &event)
{
    d->replyFaults.append({event, qMax(0, ms)});
}

/*!
    Never sends the next reply to a push with event \a event (any
    non-heartbeat event if empty). The push's effects (mount, patch) still happen.
*/
void MusubiTestServer::withholdNextReply(const QString &event)
{
    d->replyFaults.append({event, -1});
}

/*!
    Ends the channel on \a topic with \c phx_close or \c phx_error, as \a how
    says; its
    roots are unmounted. Returns false if no such channel is joined.
*/
bool MusubiTestServer::closeChannel(const QString &topic, ChannelEnd how)
{
    const auto connections = d->connections;
    bool found = false;
    for (const auto &c : connections) {
        if (c && c->channels.contains(topic)) {
            qCInfo(lcTestServer) << "fault: ending channel" << topic << how;
            d->endChannel(c, topic, how == ChannelEnd::Close ? u"phx_close"_s : u"phx_error"_s);
            found = true;
        }
    }
    return found;
}
